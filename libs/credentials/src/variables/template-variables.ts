/**
 * `${NAME}` references in a server's configuration (args, env values, URL, header values). Only names that could be
 * environment variables match, so VS Code's `${input:…}` / `${env:…}` and other text pass through unchanged.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The names referenced anywhere in the strings of `value` (object keys are not templates). */
export function referencedVariables(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const match of value.matchAll(REFERENCE)) into.add(match[1]);
  else if (Array.isArray(value)) for (const item of value) referencedVariables(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) referencedVariables(item, into);
  return into;
}

/** A copy of `value` with every reference replaced; every referenced name must be in `values`. */
export function fillVariables<T>(value: T, values: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return value.replace(REFERENCE, (_, name: string) => values.get(name) ?? '') as T;
  if (Array.isArray(value)) return value.map((item) => fillVariables(item, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillVariables(item, values)])) as T;
  }
  return value;
}
