import { Permission, actorOf, authorize, can, type Actor, type Role } from '#auth';
import type { NotificationChannel } from './notification-channel.entity.js';

/** Throws NOT_FOUND (cannot see it) or FORBIDDEN unless the actor may do `permission` on the channel. */
export function authorizeChannel(actor: Actor, permission: Permission, channel: NotificationChannel | null, id: string): NotificationChannel {
  authorize(actor, permission, channel, { kind: 'Notification channel', id });
  return channel!;
}

/** `notificationChannels` lists the viewer's own channels (admins reach others' by id). */
export function ownChannelsWhere(actor: Actor): { ownerId: string } {
  return { ownerId: actor.id };
}

/**
 * Whether a channel's owner may be told about an event concerning something owned by `subjectOwnerId` (a server,
 * an API key): when the access policy lets them read it.
 */
export function mayReceive(channelOwner: { id: string; role: Role }, subjectOwnerId: string): boolean {
  return can(actorOf(channelOwner, 'SYSTEM'), Permission.SERVER_READ, { ownerId: subjectOwnerId });
}
