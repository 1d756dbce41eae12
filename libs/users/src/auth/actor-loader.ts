import { Injectable } from '@nestjs/common';
import { actorOf, type Actor } from '#auth';
import { SignInSessionsRepository } from '../sessions/sign-in-sessions.repository.js';
import { TeamsRepository } from '../teams/teams.repository.js';
import { UsersService } from '../users.service.js';

/** Builds the access policy's Actor from the database: the person's role and their team memberships as they are now. */
@Injectable()
export class ActorLoader {
  constructor(
    private readonly users: UsersService,
    private readonly teams: TeamsRepository,
    private readonly sessions: SignInSessionsRepository,
  ) {}

  /** The person behind an access token, while its sign-in session is live and the account enabled; else null. */
  async loadSignedIn(sessionId: string, userId: string, authMethod: Actor['authMethod']): Promise<{ actor: Actor; email: string } | null> {
    const user = await this.sessions.findSignedInUser(sessionId, userId);
    if (!user) return null;
    return { actor: actorOf(user, authMethod, await this.teams.rolesOf(user.id), sessionId), email: user.email };
  }

  /** null when the account is gone or disabled. */
  async load(userId: string, authMethod: Actor['authMethod']): Promise<Actor | null> {
    const user = await this.users.findById(userId);
    if (!user || user.disabled) return null;
    return actorOf(user, authMethod, await this.teams.rolesOf(user.id));
  }
}
