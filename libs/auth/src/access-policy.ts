import { DomainError, ErrorCode, notFound } from '#core';
import type { Actor } from './actor.js';
import { PERMISSION_RULES, Permission } from './permission.js';
import { AccessLevel, Role, TeamRole, levelAtLeast } from './roles.js';

/** A team's access to a thing shared with it. */
export interface Share {
  readonly teamId: string;
  readonly level: AccessLevel;
  /** Only the team's members holding this role get the level (a team's owners own the team itself). */
  readonly teamRole?: TeamRole;
}

/** Anything the policy can decide about: it has an owner (or, like a team, only sharers) and may be shared with teams. */
export interface Owned {
  readonly ownerId: string | null;
  readonly shares?: readonly Share[];
}

/**
 * A team as the policy sees it: no single owner; its members hold VIEWER on it and its OWNER members hold OWNER
 * (so TEAM_READ and TEAM_MANAGE are decided like everything else, from the actor's memberships).
 */
export function teamAsOwned(teamId: string): Owned {
  return {
    ownerId: null,
    shares: [
      { teamId, level: AccessLevel.VIEWER },
      { teamId, level: AccessLevel.OWNER, teamRole: TeamRole.OWNER },
    ],
  };
}

/** What a listing may include: everything, or what the actor owns plus what is shared with their teams. */
export type ReadScope = { all: true } | { all: false; ownerId: string; teamIds: string[] };

/** For messages: which kind of thing, and which one. */
export interface Target {
  kind: string;
  id: string;
}

/**
 * The one authorization policy (deny by default). Admins may do everything; auditors may read everything and
 * change only their own credentials; members hold the global permissions of their role and, on a thing, the access
 * level of its owner (themselves) or the best share with one of their teams.
 */
export function can(actor: Actor, permission: Permission, resource?: Owned): boolean {
  const rule = PERMISSION_RULES[permission];
  if (rule.kind === 'global') return rule.roles.includes(actor.role);
  if (actor.role === Role.ADMIN) return true;
  if (actor.role === Role.AUDITOR && rule.read) return true;
  // Without a thing: may this role attempt it at all (the thing's own check follows in the service)?
  if (!resource) return actor.role === Role.MEMBER || (actor.role === Role.AUDITOR && (rule.level === AccessLevel.VIEWER || rule.personal === true));
  if (rule.personal && resource.ownerId !== null && resource.ownerId === actor.id) return true;
  const held = heldLevel(actor, resource);
  if (held === undefined) return false;
  // Auditors change nothing, even what is shared with them: at most they use it.
  return levelAtLeast(actor.role === Role.AUDITOR ? AccessLevel.VIEWER : held, rule.level);
}

/** The actor's access level on a thing, or undefined when they may not even see it. */
export function levelOn(actor: Actor, resource: Owned): AccessLevel | undefined {
  if (actor.role === Role.ADMIN) return AccessLevel.OWNER;
  return heldLevel(actor, resource) ?? (actor.role === Role.AUDITOR ? AccessLevel.VIEWER : undefined);
}

/** Ownership, else the best share with one of the actor's teams (and team role, when the share names one). */
function heldLevel(actor: Actor, resource: Owned): AccessLevel | undefined {
  if (resource.ownerId !== null && resource.ownerId === actor.id) return AccessLevel.OWNER;
  let best: AccessLevel | undefined;
  for (const share of resource.shares ?? []) {
    const role = actor.teams.get(share.teamId);
    if (!role || (share.teamRole && share.teamRole !== role)) continue;
    if (!best || levelAtLeast(share.level, best)) best = share.level;
  }
  return best;
}

/**
 * Throws unless the actor may do `permission` on the thing. A thing the actor may not see is NOT_FOUND, so foreign
 * ids reveal nothing; one they see but may not change is FORBIDDEN with the level it takes.
 */
export function authorize(actor: Actor, permission: Permission, resource: Owned | null | undefined, target: Target): asserts resource is Owned {
  if (!resource || levelOn(actor, resource) === undefined) throw notFound(target.kind, target.id);
  if (can(actor, permission, resource)) return;
  const rule = PERMISSION_RULES[permission];
  const needs = rule.kind === 'resource' ? `${rule.level} access` : `role ${rule.roles.join(' or ')}`;
  throw new DomainError(ErrorCode.FORBIDDEN, `${permission} on ${target.kind} ${target.id} requires ${needs}`);
}

/**
 * Throws FORBIDDEN unless the actor may attempt `permission` at all: a hub-wide permission of their role, or one
 * on things that their role can hold (auditors only read). The guard calls it before the service's per-thing check.
 */
export function authorizeAttempt(actor: Actor, permission: Permission, why?: string): void {
  if (can(actor, permission)) return;
  const rule = PERMISSION_RULES[permission];
  const message =
    rule.kind === 'global'
      ? `${permission} requires role ${rule.roles.join(' or ')}`
      : `${permission} changes things, which role ${actor.role} may not do`;
  throw new DomainError(ErrorCode.FORBIDDEN, why ?? message);
}

/** Whether a role holds a hub-wide permission, for decisions about someone who is not the actor (a server's owner). */
export function roleHolds(role: Role, permission: Permission): boolean {
  const rule = PERMISSION_RULES[permission];
  return rule.kind === 'global' && rule.roles.includes(role);
}

/** Which rows a listing of owned things may include for this actor. */
export function readScope(actor: Actor): ReadScope {
  if (actor.role === Role.ADMIN || actor.role === Role.AUDITOR) return { all: true };
  return { all: false, ownerId: actor.id, teamIds: [...actor.teams.keys()] };
}
