import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { TeamMember } from '../team-member.entity.js';
import { TeamsRepository } from '../teams.repository.js';

/** `teams { members myRole }`: one query per GraphQL request (a DataLoader keyed by its context object). */
@Injectable()
export class TeamMembersLoader {
  private readonly loader: RequestLoader<string, TeamMember[]>;

  constructor(teams: TeamsRepository) {
    this.loader = new RequestLoader((ids) => teams.membersOf(ids), () => []);
  }

  load(requestContext: object, teamId: string): Promise<TeamMember[]> {
    return this.loader.load(requestContext, teamId);
  }
}
