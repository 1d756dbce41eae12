import { z } from 'zod';
import { slugSchema } from '#servers';
import { ToolFilterMode, ToolPinningMode } from './group.entity.js';
import { SAFE_NAME } from './naming/namespacing.js';
import { ToolNaming } from './naming/tool-naming.js';

/** The names agents see (`echo`, `everything__echo`), within the `^[A-Za-z0-9_-]{1,64}$` LLM APIs accept. */
export const TOOL_NAME_PATTERN = SAFE_NAME;
export const MAX_TOOL_FILTER_ENTRIES = 500;

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const descriptionSchema = z.string().trim().max(2000, 'must be at most 2000 characters');

const toolNamingSchema = z.enum(ToolNaming, 'must be PREFIX_ALWAYS, PREFIX_WHEN_NEEDED or NONE');

export const toolFilterSchema = z
  .array(z.string().regex(TOOL_NAME_PATTERN, 'must be a tool name as agents see it: 1-64 characters of A-Z, a-z, 0-9, "_" and "-" (e.g. everything__echo)'))
  .max(MAX_TOOL_FILTER_ENTRIES, `must have at most ${MAX_TOOL_FILTER_ENTRIES} entries`)
  .transform((names) => [...new Set(names)]);

const toolPinningSchema = z.enum(ToolPinningMode, 'must be OFF, WARN or ENFORCE');

export const createGroupSchema = z.strictObject({
  name: nameSchema,
  slug: slugSchema.nullish(),
  description: descriptionSchema.nullish(),
  toolPinning: toolPinningSchema.nullish(),
  toolNaming: toolNamingSchema.nullish(),
});

/** null leaves name, slug, naming, mode and filter unchanged; description null clears it. */
export const updateGroupSchema = z.strictObject({
  name: nameSchema.nullish(),
  slug: slugSchema.nullish(),
  description: descriptionSchema.nullish(),
  toolNaming: toolNamingSchema.nullish(),
  toolFilterMode: z.enum(ToolFilterMode, 'must be NONE, ALLOW or DENY').nullish(),
  toolFilter: toolFilterSchema.nullish(),
  toolPinning: toolPinningSchema.nullish(),
});

export type CreateGroup = z.input<typeof createGroupSchema>;
export type UpdateGroup = z.input<typeof updateGroupSchema>;
