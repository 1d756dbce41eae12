import { Injectable } from '@nestjs/common';
import { BatchLoader } from '#core';
import type { TeamMember } from '../team-member.entity.js';
import { TeamsRepository } from '../teams.repository.js';

/** One BatchLoader per GraphQL request (keyed by its context object), so `teams { members }` is one query. */
@Injectable()
export class TeamMembersLoader {
  private readonly perRequest = new WeakMap<object, BatchLoader<string, TeamMember[]>>();

  constructor(private readonly teams: TeamsRepository) {}

  load(requestContext: object, teamId: string): Promise<TeamMember[]> {
    let loader = this.perRequest.get(requestContext);
    if (!loader) {
      loader = new BatchLoader((ids) => this.teams.membersOf(ids), () => []);
      this.perRequest.set(requestContext, loader);
    }
    return loader.load(teamId);
  }
}
