import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode } from '#core';

/** unique_violation (23505) or foreign_key_violation (23503). */
export const isPgError = (error: unknown, code: '23505' | '23503') =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === code;

export const teamSlugTaken = (slug: string, derived: boolean) =>
  new DomainError(
    ErrorCode.CONFLICT,
    `input.slug: a team with slug "${slug}" already exists${derived ? ' (derived from the name); choose another slug' : ''}`,
    { field: 'input.slug' },
  );

export const lastOwner = (teamSlug: string) =>
  new DomainError(ErrorCode.CONFLICT, `Team ${teamSlug} must keep an owner: make another member OWNER first`);
