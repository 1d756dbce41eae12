export { Role, AuthMethod, AccessLevel, TeamRole, levelAtLeast } from './roles.js';
export { type Actor, actorOf } from './actor.js';
export { Permission, PERMISSION_RULES, type PermissionRule } from './permission.js';
export { can, levelOn, teamAsOwned, roleHolds, authorize, authorizeAttempt, readScope, type Owned, type Share, type ReadScope, type Target } from './access-policy.js';
export {
  ACCESS,
  Authorize,
  Public,
  ApiKeyAuth,
  RouteAuth,
  CurrentActor,
  requestOf,
  type AccessRequirement,
  type RequestWithActor,
} from './access.decorators.js';
export * from './audit/index.js';
