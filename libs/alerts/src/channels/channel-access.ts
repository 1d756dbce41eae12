import { ownsOrAdmin, type User } from '#users';
import type { NotificationChannel } from './notification-channel.entity.js';

/*
 * The authorization rules of alerts, in one place, for the access policy to replace (and team-owned channels
 * to extend) once libs/auth lands. Callers turn "no" into NOT_FOUND, so foreign channel ids stay unseen.
 */

/** Who may see, change, test and delete a channel and read its delivery log: its owner. */
export function mayManageChannel(viewer: Pick<User, 'id'>, channel: Pick<NotificationChannel, 'ownerId'>): boolean {
  return channel.ownerId === viewer.id;
}

/** The listing form of mayManageChannel. */
export function manageableChannelsWhere(viewer: Pick<User, 'id'>): { ownerId: string } {
  return { ownerId: viewer.id };
}

/**
 * Whether a channel's owner may be told about an event concerning something owned by `subjectOwnerId` (a server,
 * an API key): when they may see it, the rule of `servers`, `apiKeys` and serverStatusChanged.
 */
export function mayReceive(channelOwner: Pick<User, 'id' | 'role'>, subjectOwnerId: string): boolean {
  return ownsOrAdmin(channelOwner, subjectOwnerId);
}
