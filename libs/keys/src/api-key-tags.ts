import { z } from 'zod';

/** Tags label keys for routing rules (`ci`, `batch-jobs`); short and URL-safe so they read well in rules. */
export const API_KEY_TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_API_KEY_TAGS = 20;

export const apiKeyTagSchema = z
  .string()
  .regex(API_KEY_TAG_PATTERN, 'must be 1-32 characters of a-z, 0-9, "_" and "-", starting with a letter or digit');

export const apiKeyTagsSchema = z
  .array(apiKeyTagSchema)
  .max(MAX_API_KEY_TAGS, `must have at most ${MAX_API_KEY_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);
