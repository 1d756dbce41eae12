import { IntrinsicException } from '@nestjs/common';

/** Every failure a person can act on has a code; transports map codes to their own errors (see mappers). */
export enum ErrorCode {
  BAD_INPUT = 'BAD_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  SECRET_UNREADABLE = 'SECRET_UNREADABLE',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  /** A server refers to a `${NAME}` the caller has no credential for. */
  CREDENTIAL_MISSING = 'CREDENTIAL_MISSING',
}

/** Intrinsic: Nest's default filter leaves it alone; each transport's mapper decides how it is logged. */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Structured extras safe to show the caller, e.g. { field: 'email' } or { retryAfterSeconds: 30 }. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) =>
  new DomainError(ErrorCode.BAD_INPUT, `${field}: ${message}`, { field });
export const notFound = (what: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new DomainError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <accessToken>') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);
