import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode } from '#core';
import { can, authorize, authorizeAttempt, levelOn, readScope, teamAsOwned } from './access-policy.js';
import { actorOf } from './actor.js';
import { Permission } from './permission.js';
import { AccessLevel, Role, TeamRole } from './roles.js';

const admin = actorOf({ id: 'admin', role: Role.ADMIN }, 'API_KEY');
const auditor = actorOf({ id: 'auditor', role: Role.AUDITOR }, 'API_KEY');
const alice = actorOf({ id: 'alice', role: Role.MEMBER }, 'API_KEY');
const bob = actorOf({ id: 'bob', role: Role.MEMBER }, 'API_KEY', new Map([['team-1', TeamRole.MEMBER]]));
const alicesServer = { ownerId: 'alice' };
const sharedAsViewer = { ownerId: 'alice', shares: [{ teamId: 'team-1', level: AccessLevel.VIEWER }] };
const sharedAsEditor = { ownerId: 'alice', shares: [{ teamId: 'team-1', level: AccessLevel.VIEWER }, { teamId: 'team-1', level: AccessLevel.EDITOR }] };

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('access policy', () => {
  it('should let owners do everything to their own things and strangers nothing', () => {
    for (const p of [Permission.SERVER_READ, Permission.SERVER_UPDATE, Permission.SERVER_DELETE, Permission.SERVER_SHARE]) {
      expect(can(alice, p, alicesServer)).toBe(true);
      expect(can(bob, p, alicesServer)).toBe(false);
    }
  });

  it('should give team members the level of the best share with their team', () => {
    expect(can(bob, Permission.SERVER_READ, sharedAsViewer)).toBe(true);
    expect(can(bob, Permission.GROUP_USE, sharedAsViewer)).toBe(true);
    expect(can(bob, Permission.SERVER_UPDATE, sharedAsViewer)).toBe(false);
    expect(can(bob, Permission.SERVER_UPDATE, sharedAsEditor)).toBe(true);
    expect(can(bob, Permission.SERVER_DELETE, sharedAsEditor)).toBe(false);
    expect(levelOn(bob, sharedAsEditor)).toBe(AccessLevel.EDITOR);
  });

  it('should let auditors read everything, use only what is shared with them and change nothing', () => {
    expect(can(auditor, Permission.SERVER_READ, alicesServer)).toBe(true);
    expect(can(auditor, Permission.AUDIT_READ)).toBe(true);
    expect(can(auditor, Permission.USER_READ)).toBe(true);
    expect(can(auditor, Permission.GROUP_USE, alicesServer)).toBe(false);
    expect(can(auditor, Permission.SERVER_UPDATE, { ownerId: 'auditor' })).toBe(false);
    expect(can(auditor, Permission.SERVER_CREATE)).toBe(false);
    expect(can(auditor, Permission.SELF_UPDATE)).toBe(true);
    expect(codeOf(() => authorizeAttempt(auditor, Permission.SERVER_UPDATE))).toBe(ErrorCode.FORBIDDEN);
  });

  it('should let auditors manage the notification channels they made, and nobody else\'s', () => {
    expect(can(auditor, Permission.CHANNEL_CREATE)).toBe(true);
    expect(codeOf(() => authorizeAttempt(auditor, Permission.CHANNEL_MANAGE))).toBe('allowed');
    expect(can(auditor, Permission.CHANNEL_MANAGE, { ownerId: 'auditor' })).toBe(true);
    expect(can(auditor, Permission.CHANNEL_MANAGE, { ownerId: 'alice' })).toBe(false);
    expect(codeOf(() => authorize(auditor, Permission.CHANNEL_MANAGE, { ownerId: 'alice' }, { kind: 'Notification channel', id: 'c' }))).toBe(ErrorCode.FORBIDDEN);
    expect(can(bob, Permission.CHANNEL_MANAGE, { ownerId: 'alice' })).toBe(false);
    // Only the personal rule: an auditor who owns a server from a former role still may not change it.
    expect(can(auditor, Permission.SERVER_DELETE, { ownerId: 'auditor' })).toBe(false);
  });

  it('should keep hub-wide permissions to the roles that hold them', () => {
    expect(can(alice, Permission.USER_MANAGE)).toBe(false);
    expect(can(alice, Permission.AUDIT_READ)).toBe(false);
    expect(can(alice, Permission.SERVER_RUN_COMMAND)).toBe(false);
    expect(can(admin, Permission.SERVER_RUN_COMMAND)).toBe(true);
    expect(can(admin, Permission.SERVER_DELETE, alicesServer)).toBe(true);
  });

  it('should answer NOT_FOUND for what the actor cannot see and FORBIDDEN for what they see but may not change', () => {
    const target = { kind: 'Server', id: 's1' };
    expect(codeOf(() => authorize(bob, Permission.SERVER_UPDATE, alicesServer, target))).toBe(ErrorCode.NOT_FOUND);
    expect(codeOf(() => authorize(bob, Permission.SERVER_UPDATE, null, target))).toBe(ErrorCode.NOT_FOUND);
    expect(codeOf(() => authorize(bob, Permission.SERVER_UPDATE, sharedAsViewer, target))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => authorize(auditor, Permission.SERVER_DELETE, alicesServer, target))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => authorize(bob, Permission.SERVER_READ, sharedAsViewer, target))).toBe('allowed');
  });

  it("should let a team's members read it and only its OWNER members manage it", () => {
    const carol = actorOf({ id: 'carol', role: Role.MEMBER }, 'API_KEY', new Map([['team-1', TeamRole.OWNER]]));
    const team = teamAsOwned('team-1');
    const target = { kind: 'Team', id: 'team-1' };
    expect(can(bob, Permission.TEAM_READ, team)).toBe(true);
    expect(codeOf(() => authorize(bob, Permission.TEAM_MANAGE, team, target))).toBe(ErrorCode.FORBIDDEN);
    expect(can(carol, Permission.TEAM_MANAGE, team)).toBe(true);
    expect(codeOf(() => authorize(alice, Permission.TEAM_READ, team, target))).toBe(ErrorCode.NOT_FOUND);
    expect(can(admin, Permission.TEAM_MANAGE, team)).toBe(true);
    expect(can(auditor, Permission.TEAM_READ, team)).toBe(true);
    expect(can(auditor, Permission.TEAM_MANAGE, team)).toBe(false);
    // A share naming a team role does not reach the team's other members, and no one owns a team by id.
    expect(can(bob, Permission.SERVER_DELETE, { ownerId: null, shares: [{ teamId: 'team-1', level: AccessLevel.OWNER, teamRole: TeamRole.OWNER }] })).toBe(false);
  });

  it('should scope listings to own and team things for members and to everything for admins and auditors', () => {
    expect(readScope(admin)).toEqual({ all: true });
    expect(readScope(auditor)).toEqual({ all: true });
    expect(readScope(bob)).toEqual({ all: false, ownerId: 'bob', teamIds: ['team-1'] });
  });
});
