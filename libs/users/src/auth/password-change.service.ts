import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError, ErrorCode, badInput, forbidden, validate } from '#core';
import { SignInSessionsRepository } from '../sessions/sign-in-sessions.repository.js';
import { User } from '../user.entity.js';
import { passwordSchema } from '../users.service.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';

/** How old a sign-in may be to set a first password without proving one (refreshes do not make it younger). */
export const FIRST_PASSWORD_SIGN_IN_MAX_AGE_MS = 10 * 60_000;

export interface PasswordChange {
  /** Required when the account has a password; ignored when it has none yet (an SSO account setting its first). */
  currentPassword?: string | null;
  newPassword: string;
}

/** Self-service password change: proves the current password (throttled like sign-in), then ends the other sessions. */
@Injectable()
export class PasswordChangeService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly sessions: SignInSessionsRepository,
    private readonly throttle: LoginThrottle,
    private readonly passwords: PasswordHasher,
  ) {}

  async change(user: User, currentSessionId: string, ip: string, input: PasswordChange): Promise<true> {
    const newPassword = validate(passwordSchema, input.newPassword, 'newPassword');
    const previousHash = user.passwordHash;
    if (previousHash !== null) await this.proveCurrent(user.email, ip, previousHash, input.currentPassword, newPassword);
    else await this.assertFreshSignIn(currentSessionId);
    const nextHash = await this.passwords.hash(newPassword);
    await this.users.manager.transaction(async (manager) => {
      // Compare-and-set: a concurrent change (another tab, an admin) must not be overwritten unseen.
      const updated = await manager
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash: nextHash, passwordChangeRequired: false })
        .where('id = :id AND password_hash IS NOT DISTINCT FROM CAST(:previousHash AS text)', { id: user.id, previousHash })
        .execute();
      if (!updated.affected) throw new DomainError(ErrorCode.CONFLICT, 'Your password was changed meanwhile: sign in again and retry');
      await this.sessions.revokeAllOf(user.id, { exceptId: currentSessionId, manager });
    });
    return true;
  }

  /**
   * No password to prove: the sign-in itself must be recent, or a stolen access token could add a password to an
   * SSO account and keep access through it (outliving the token, the session and any MFA the provider demands).
   */
  private async assertFreshSignIn(sessionId: string) {
    const session = await this.sessions.findLive(sessionId);
    if (!session || Date.now() - session.createdAt.getTime() > FIRST_PASSWORD_SIGN_IN_MAX_AGE_MS) {
      throw forbidden(
        `Setting a first password needs a recent sign-in: sign in again with your provider and retry within ${FIRST_PASSWORD_SIGN_IN_MAX_AGE_MS / 60_000} minutes`,
      );
    }
  }

  private async proveCurrent(email: string, ip: string, hash: string, currentPassword: string | null | undefined, newPassword: string) {
    if (!currentPassword) throw badInput('currentPassword', 'is required to change your password');
    // The same counters as sign-in: a stolen access token must not become a password-guessing oracle.
    await this.throttle.assertAllowed(email, ip);
    if (!(await this.passwords.verify(currentPassword, hash))) {
      await this.throttle.recordFailure(email, ip);
      throw badInput('currentPassword', 'is not your current password');
    }
    await this.throttle.recordSuccess(email, ip);
    if (newPassword === currentPassword) throw badInput('newPassword', 'must differ from your current password');
  }
}
