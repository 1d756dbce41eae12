import type { z } from 'zod';
import { badInput } from './domain-error.js';

/** Parses input with a zod schema; the first issue becomes a BAD_INPUT error naming the field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'input';
  throw badInput(field, issue.message);
}
