import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { User, type AuthMethod } from '../user.entity.js';
import { SignInSession } from './sign-in-session.entity.js';

export interface NewSignInSession {
  id: string;
  userId: string;
  method: AuthMethod;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
  refreshTokenHash: Buffer;
}

/** Every query on sign_in_sessions. "Live" = neither revoked nor expired. Methods taking a manager join its transaction. */
@Injectable()
export class SignInSessionsRepository {
  constructor(@InjectRepository(SignInSession) private readonly sessions: Repository<SignInSession>) {}

  async create(session: NewSignInSession): Promise<void> {
    await this.sessions.insert(session);
  }

  /**
   * The admin API guard's one query per request: the user, only while this session of theirs is live and the
   * account enabled. Primary-key lookups on both tables; no cache, so a revocation on any replica counts at once.
   */
  findSignedInUser(sessionId: string, userId: string): Promise<User | null> {
    return this.sessions.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(SignInSession, 's', 's.userId = u.id')
      .where('s.id = :sessionId AND u.id = :userId AND u.disabled = false', { sessionId, userId })
      .andWhere('s.revokedAt IS NULL AND s.expiresAt > now()')
      .getOne();
  }

  /**
   * Swaps the refresh token hash if, and only if, `presented` is the current one of a live session: one statement,
   * so two refreshes with the same token cannot both win. Returns the session's sign-in method, or null.
   */
  async rotate(id: string, userId: string, presented: Buffer, next: Buffer, expiresAt: Date): Promise<AuthMethod | null> {
    const result = await this.sessions
      .createQueryBuilder()
      .update(SignInSession)
      .set({ refreshTokenHash: next, expiresAt, lastUsedAt: () => 'now()' })
      .where('id = :id AND user_id = :userId AND refresh_token_hash = :presented', { id, userId, presented })
      .andWhere('revoked_at IS NULL AND expires_at > now()')
      .returning('auth_method')
      .execute();
    const row = (result.raw as { auth_method: AuthMethod }[])[0];
    return row ? row.auth_method : null;
  }

  findLive(id: string): Promise<SignInSession | null> {
    return this.live('s').andWhere('s.id = :id', { id }).getOne();
  }

  /** One of the user's own live sessions: sessions are always "mine" (admins end others' with revokeAllOf). */
  findLiveOf(userId: string, id: string): Promise<SignInSession | null> {
    return this.live('s').andWhere('s.id = :id AND s.userId = :userId', { id, userId }).getOne();
  }

  listLive(userId: string, page: { first: number; offset: number }): Promise<SignInSession[]> {
    return this.live('s')
      .andWhere('s.userId = :userId', { userId })
      .orderBy('s.lastUsedAt', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .take(page.first)
      .skip(page.offset)
      .getMany();
  }

  /** Ends one live session; returns whether it was live. */
  async revoke(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.revokeWhere(manager).andWhere('id = :id', { id }).execute();
    return (result.affected ?? 0) > 0;
  }

  /** Ends every live session of a user, except `exceptId` when given; returns how many. */
  async revokeAllOf(userId: string, options: { exceptId?: string; manager?: EntityManager } = {}): Promise<number> {
    const query = this.revokeWhere(options.manager).andWhere('user_id = :userId', { userId });
    if (options.exceptId) query.andWhere('id <> :exceptId', { exceptId: options.exceptId });
    return (await query.execute()).affected ?? 0;
  }

  /** Deletes up to `batch` sessions that expired, or were revoked before `revokedBefore`; returns how many. */
  async purgeEnded(revokedBefore: Date, batch: number): Promise<number> {
    const ended = this.sessions
      .createQueryBuilder('e')
      .select('e.id')
      .where(new Brackets((w) => w.where('e.expiresAt <= now()').orWhere('e.revokedAt < :revokedBefore')))
      .limit(batch);
    const result = await this.sessions
      .createQueryBuilder()
      .delete()
      .from(SignInSession)
      .where(`id IN (${ended.getQuery()})`)
      .setParameters({ revokedBefore })
      .execute();
    return result.affected ?? 0;
  }

  private live(alias: string) {
    return this.sessions.createQueryBuilder(alias).where(`${alias}.revokedAt IS NULL AND ${alias}.expiresAt > now()`);
  }

  private revokeWhere(manager?: EntityManager) {
    return (manager ?? this.sessions.manager)
      .createQueryBuilder()
      .update(SignInSession)
      .set({ revokedAt: () => 'now()' })
      .where('revoked_at IS NULL AND expires_at > now()');
  }
}
