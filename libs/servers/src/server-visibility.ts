import { Role, ownsOrAdmin, type User } from '#users';

/** Who may see a server (and everything about it: replicas, health, transitions): admins all, members their own. */
export function maySeeServer(viewer: Pick<User, 'id' | 'role'>, server: { ownerId: string }): boolean {
  return ownsOrAdmin(viewer, server.ownerId);
}

/** The same rule as a query filter for listing. */
export function visibleServersWhere(viewer: Pick<User, 'id' | 'role'>): { ownerId?: string } {
  return viewer.role === Role.ADMIN ? {} : { ownerId: viewer.id };
}
