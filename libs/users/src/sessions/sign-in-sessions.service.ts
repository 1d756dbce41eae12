import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { badInput, notFound, validate } from '#core';
import type { Actor } from '#auth';
import { UsersService, pageSchema } from '../users.service.js';
import type { SignInSession } from './sign-in-session.entity.js';
import { SignInSessionsRepository } from './sign-in-sessions.repository.js';

export interface SessionView extends SignInSession {
  current: boolean;
}

/** What a signed-in person (or an admin, for others) can do with sign-in sessions. */
@Injectable()
export class SignInSessionsService {
  constructor(
    private readonly sessions: SignInSessionsRepository,
    private readonly users: UsersService,
  ) {}

  async listMine(viewer: Actor, currentId: string, page: { first?: number; offset?: number }): Promise<SessionView[]> {
    const rows = await this.sessions.listLive(viewer.id, validate(pageSchema, page));
    return rows.map((s) => Object.assign(s, { current: s.id === currentId }));
  }

  async revokeMine(viewer: Actor, id: string): Promise<true> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    // Scoped to the viewer's own sessions: someone else's id is simply not there.
    if (!(await this.sessions.findLiveOf(viewer.id, id))) throw notFound('Session', id);
    // Ended meanwhile (by another tab or an admin): the outcome the caller wanted.
    await this.sessions.revoke(id);
    return true;
  }

  revokeMyOthers(viewer: Actor, currentId: string): Promise<number> {
    return this.sessions.revokeAllOf(viewer.id, { exceptId: currentId });
  }

  async signOut(currentId: string): Promise<true> {
    await this.sessions.revoke(currentId);
    return true;
  }

  async revokeAllOfUser(userId: string): Promise<number> {
    const user = await this.users.get(userId);
    return this.sessions.revokeAllOf(user.id);
  }
}
