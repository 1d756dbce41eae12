import { DomainError, ErrorCode } from '#core';

/** Why an archive was refused; the GraphQL error and the HTTP answer carry it as `reason`. */
export enum ArchiveProblem {
  NOT_AN_ARCHIVE = 'NOT_AN_ARCHIVE',
  UNSUPPORTED = 'UNSUPPORTED',
  TRUNCATED = 'TRUNCATED',
  WRONG_PASSPHRASE = 'WRONG_PASSPHRASE',
  TAMPERED = 'TAMPERED',
}

/** A refused archive is bad input: nothing was read into the hub, nothing changed. */
export function archiveError(problem: ArchiveProblem, message: string): DomainError {
  const field = problem === ArchiveProblem.WRONG_PASSPHRASE ? 'passphrase' : 'archive';
  return new DomainError(ErrorCode.BAD_INPUT, `${field}: ${message}`, { field, reason: problem });
}
