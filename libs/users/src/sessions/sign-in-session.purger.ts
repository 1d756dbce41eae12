import { Injectable } from '@nestjs/common';
import { SignInSessionsRepository } from './sign-in-sessions.repository.js';

/** Revoked sessions stay a day, so an operator can still see a reuse-revoked session; expired ones go at once. */
export const REVOKED_SESSIONS_KEPT_MS = 24 * 60 * 60_000;
/** Rows deleted per statement: keeps each delete short when a backlog built up. */
export const SESSION_PURGE_BATCH = 1_000;

@Injectable()
export class SignInSessionPurger {
  constructor(private readonly sessions: SignInSessionsRepository) {}

  /** Returns how many sessions were deleted. */
  async purge(): Promise<number> {
    const revokedBefore = new Date(Date.now() - REVOKED_SESSIONS_KEPT_MS);
    let total = 0;
    let deleted: number;
    do {
      deleted = await this.sessions.purgeEnded(revokedBefore, SESSION_PURGE_BATCH);
      total += deleted;
    } while (deleted === SESSION_PURGE_BATCH);
    return total;
  }
}
