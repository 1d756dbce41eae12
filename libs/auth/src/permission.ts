import { AccessLevel, Role } from './roles.js';

/**
 * Everything a person can do through the admin API. Each GraphQL operation and HTTP route declares one with
 * `@Authorize`; the access policy decides from the table below.
 */
export enum Permission {
  SELF_READ = 'self.read',
  SELF_UPDATE = 'self.update',
  USER_READ = 'user.read',
  USER_MANAGE = 'user.manage',
  SERVER_CREATE = 'server.create',
  /** Register or change a STDIO server or replica: it runs a program on the hub's machine. */
  SERVER_RUN_COMMAND = 'server.runCommand',
  /** Reach any upstream address (members are held to the egress allowlist). */
  SERVER_EGRESS_ANY = 'server.egressAny',
  SERVER_READ = 'server.read',
  SERVER_UPDATE = 'server.update',
  SERVER_DELETE = 'server.delete',
  SERVER_SHARE = 'server.share',
  GROUP_CREATE = 'group.create',
  GROUP_READ = 'group.read',
  /** Call the group's endpoint with one's own API key. */
  GROUP_USE = 'group.use',
  GROUP_UPDATE = 'group.update',
  GROUP_DELETE = 'group.delete',
  GROUP_SHARE = 'group.share',
  KEY_CREATE = 'key.create',
  KEY_READ = 'key.read',
  /** Change a key's name, groups, quotas, tags or expiry: its owner (or an admin). */
  KEY_UPDATE = 'key.update',
  KEY_REVOKE = 'key.revoke',
  TEAM_CREATE = 'team.create',
  TEAM_READ = 'team.read',
  TEAM_MANAGE = 'team.manage',
  AUDIT_READ = 'audit.read',
  CHANNEL_CREATE = 'channel.create',
  CHANNEL_READ = 'channel.read',
  CHANNEL_MANAGE = 'channel.manage',
  /** Read agent call-log entries and usage analytics; which entries is the access policy's read scope. */
  CALL_LOG_READ = 'callLog.read',
  /** Turn the DEBUG capture of arguments and results on or off for a key or a group: its owner (or an admin). */
  CALL_CAPTURE_MANAGE = 'callCapture.manage',
  /** Browse the marketplace catalog. */
  CATALOG_READ = 'catalog.read',
  /** Import and remove marketplace catalog entries: what every member is offered to install. */
  CATALOG_MANAGE = 'catalog.manage',
  /**
   * Create, list, download, upload, verify and restore whole-hub backups: an archive holds every account, key hash
   * and secret of the hub, and a restore rewrites all of them.
   */
  BACKUP_MANAGE = 'backup.manage',
  /**
   * Create, list, download, upload, verify, restore and delete backups of one's own configuration (USER scope):
   * servers, groups, rules, own credentials. A restore goes through the domain checks, as if made by hand.
   */
  BACKUP_OWN = 'backup.own',
  /** See the names of credentials (values never leave the hub): one's own, one's teams', the hub's (admins, auditors). */
  CREDENTIAL_READ = 'credential.read',
  /** Set or delete a credential: one's own (any role), a team's (its OWNERs), the hub's (admins). */
  CREDENTIAL_MANAGE = 'credential.manage',
  /** See the encryption keys (ids, states, how many ciphertexts each seals) and rotation progress; never key material. */
  ENCRYPTION_READ = 'encryption.read',
  /** Rotate the data key and retire old ones. */
  ENCRYPTION_MANAGE = 'encryption.manage',
}

/** A permission over the hub as a whole: the roles that hold it. */
interface GlobalRule {
  kind: 'global';
  roles: readonly Role[];
}

/**
 * A permission over one owned (and maybe shared) thing: the access level it needs; admins hold every level.
 * `read` permissions are held by auditors on everything; the others (using an endpoint included) need real access.
 */
interface ResourceRule {
  kind: 'resource';
  level: AccessLevel;
  read: boolean;
  /**
   * Things of one person that every role may create (notification channels): their owner manages them whatever
   * the role, so an auditor can change and delete the channels they made. Others still need the level.
   */
  personal?: boolean;
}

export type PermissionRule = GlobalRule | ResourceRule;

const EVERYONE = [Role.ADMIN, Role.MEMBER, Role.AUDITOR] as const;
const WRITERS = [Role.ADMIN, Role.MEMBER] as const;
const global = (...roles: Role[]): GlobalRule => ({ kind: 'global', roles });
const on = (level: AccessLevel): ResourceRule => ({ kind: 'resource', level, read: false });
const reading = (): ResourceRule => ({ kind: 'resource', level: AccessLevel.VIEWER, read: true });
const ownersOwn = (level: AccessLevel): ResourceRule => ({ kind: 'resource', level, read: false, personal: true });

export const PERMISSION_RULES: Record<Permission, PermissionRule> = {
  [Permission.SELF_READ]: global(...EVERYONE),
  [Permission.SELF_UPDATE]: global(...EVERYONE),
  [Permission.USER_READ]: global(Role.ADMIN, Role.AUDITOR),
  [Permission.USER_MANAGE]: global(Role.ADMIN),
  [Permission.SERVER_CREATE]: global(...WRITERS),
  [Permission.SERVER_RUN_COMMAND]: global(Role.ADMIN),
  [Permission.SERVER_EGRESS_ANY]: global(Role.ADMIN),
  [Permission.SERVER_READ]: reading(),
  [Permission.SERVER_UPDATE]: on(AccessLevel.EDITOR),
  [Permission.SERVER_DELETE]: on(AccessLevel.OWNER),
  [Permission.SERVER_SHARE]: on(AccessLevel.OWNER),
  [Permission.GROUP_CREATE]: global(...WRITERS),
  [Permission.GROUP_READ]: reading(),
  [Permission.GROUP_USE]: on(AccessLevel.VIEWER),
  [Permission.GROUP_UPDATE]: on(AccessLevel.EDITOR),
  [Permission.GROUP_DELETE]: on(AccessLevel.OWNER),
  [Permission.GROUP_SHARE]: on(AccessLevel.OWNER),
  [Permission.KEY_CREATE]: global(...WRITERS),
  [Permission.KEY_READ]: reading(),
  [Permission.KEY_UPDATE]: on(AccessLevel.OWNER),
  [Permission.KEY_REVOKE]: on(AccessLevel.OWNER),
  [Permission.TEAM_CREATE]: global(...WRITERS),
  [Permission.TEAM_READ]: reading(),
  [Permission.TEAM_MANAGE]: on(AccessLevel.OWNER),
  [Permission.AUDIT_READ]: global(Role.ADMIN, Role.AUDITOR),
  // Notification channels: anyone may be told about what they can see, auditors included.
  [Permission.CHANNEL_CREATE]: global(...EVERYONE),
  [Permission.CHANNEL_READ]: reading(),
  [Permission.CHANNEL_MANAGE]: ownersOwn(AccessLevel.OWNER),
  [Permission.CALL_LOG_READ]: global(...EVERYONE),
  [Permission.CALL_CAPTURE_MANAGE]: on(AccessLevel.OWNER),
  [Permission.CATALOG_READ]: global(...EVERYONE),
  [Permission.CATALOG_MANAGE]: global(Role.ADMIN),
  [Permission.BACKUP_MANAGE]: global(Role.ADMIN),
  // Personal: everyone keeps their own archives (an auditor's holds their credentials); HUB archives have no owner.
  [Permission.BACKUP_OWN]: ownersOwn(AccessLevel.OWNER),
  [Permission.CREDENTIAL_READ]: reading(),
  // Personal: an auditor keeps their own tokens for the servers they may use.
  [Permission.CREDENTIAL_MANAGE]: ownersOwn(AccessLevel.OWNER),
  [Permission.ENCRYPTION_READ]: global(Role.ADMIN, Role.AUDITOR),
  [Permission.ENCRYPTION_MANAGE]: global(Role.ADMIN),
};
