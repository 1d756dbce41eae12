import { z } from 'zod';

/** Slugs name endpoints and prefix tool names (`<slug>__<tool>`), so no `_` and a bounded length. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const slugSchema = z
  .string()
  .regex(SLUG_PATTERN, 'must be 1-40 characters of a-z, 0-9 and "-", starting with a letter or digit');

/** "Café Tools (v2)" → "cafe-tools-v2". Empty when the name has no letters or digits. */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
