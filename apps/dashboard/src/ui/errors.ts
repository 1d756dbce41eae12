import type { CombinedError } from 'urql';

/**
 * The hub names the offending input in `extensions.field` (e.g. "input.url"); forms show the message under that
 * field. Keys are the path without the argument prefix: "input.url" → "url".
 */
export function fieldErrors(error: CombinedError | undefined | null, prefix = 'input'): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const e of error?.graphQLErrors ?? []) {
    const field = e.extensions?.field;
    if (typeof field !== 'string') continue;
    const key = field.startsWith(`${prefix}.`) ? field.slice(prefix.length + 1) : field;
    errors[key] ??= e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
  }
  return errors;
}

/** One line for an error banner: the hub's own message, or what went wrong on the way. */
export function errorMessage(error: CombinedError | Error | undefined | null): string | null {
  if (!error) return null;
  if ('graphQLErrors' in error && error.graphQLErrors.length) return error.graphQLErrors.map((e) => e.message).join('; ');
  if ('networkError' in error && error.networkError) return `The hub cannot be reached (${error.networkError.message})`;
  return error.message;
}
