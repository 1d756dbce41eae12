import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode } from '#core';

/** unique_violation (23505) or foreign_key_violation (23503), optionally on one table. */
export const isPgError = (error: unknown, code: '23505' | '23503', table?: string) => {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; table?: string };
  return driverError.code === code && (!table || driverError.table === table);
};

export const slugTaken = (slug: string, derived = false) =>
  new DomainError(
    ErrorCode.CONFLICT,
    `input.slug: a group with slug "${slug}" already exists${derived ? ' (derived from the name); choose another slug' : ''}`,
    { field: 'input.slug' },
  );
