import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, HUB_CONFIG, badInput, notFound, validate, type HubConfig } from '#core';
import { ServersService, slugFromName, type McpServer } from '#servers';
import { Permission, authorizeAttempt, can, type Actor, type Share } from '#auth';
import { ResourceSharesRepository, ShareableType, pageSchema, type ResourceShare } from '#users';
import { assertUuid, authorizeGroup, lockGroup, visibleGroupsWhere } from './group-access.js';
import { groupClientConfigs, type ClientConfig } from './client-configs.js';
import { groupEndpoints, type GroupEndpoints } from './group-endpoints.js';
import { createGroupSchema, updateGroupSchema, type CreateGroup, type UpdateGroup } from './group-input.schema.js';
import { GroupServer } from './group-server.entity.js';
import { Group, ToolFilterMode, ToolPinningMode } from './group.entity.js';
import { isPgError, slugTaken } from './groups.errors.js';
import { nameGroup, type GroupNaming, type MemberCatalog, type NamingCollision } from './naming/group-naming.js';
import { ToolNaming } from './naming/tool-naming.js';
import { membershipDiff } from './revisions/group-snapshot.js';
import { GroupRevisionsService } from './revisions/group-revisions.service.js';

/** A group as the gateway needs it. Reload on every `group` change and on every `server` change (see remove()). */
export interface ResolvedGroup {
  id: string;
  slug: string;
  name: string;
  ownerId: string;
  /** Teams it is shared with: a key may use the group when its owner may (GROUP_USE through the access policy). */
  shares: Share[];
  /** Ordered by position (the order servers were added). */
  serverIds: string[];
  toolNaming: ToolNaming;
  toolFilter: { mode: 'NONE' | 'ALLOW' | 'DENY'; tools: string[] };
  toolPinning: 'OFF' | 'WARN' | 'ENFORCE';
}

const reorderSchema = z.array(z.uuid('must be a server id (UUID)')).max(1000, 'must have at most 1000 entries');

export interface GroupToolView {
  name: string;
  qualifiedName: string;
  toolName: string;
  description: string | null;
  serverId: string;
  serverSlug: string;
  exposed: boolean;
}

/** A configuration change to one locked, visible group; the revision is recorded in the same transaction. */
type GroupChange<T> = (manager: EntityManager, group: Group) => Promise<{ result: T; reason: string }>;

@Injectable()
export class GroupsService {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    @InjectRepository(GroupServer) private readonly members: Repository<GroupServer>,
    private readonly servers: ServersService,
    private readonly revisions: GroupRevisionsService,
    private readonly shares: ResourceSharesRepository,
    private readonly bus: ConfigChangeBus,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Any signed-in user may create groups; they own them. */
  async create(viewer: Actor, input: CreateGroup): Promise<Group> {
    const group = this.prepare(viewer, input);
    const saved = await uniqueSlug(group.slug, !input.slug, () =>
      this.groups.manager.transaction(async (manager) => {
        const saved = await manager.getRepository(Group).save(group);
        await this.revisions.record(manager, saved.id, 'createGroup', viewer.id);
        return saved;
      }),
    );
    await this.bus.publish({ kind: 'group', id: saved.id });
    return saved;
  }

  /**
   * A new group row owned by the viewer, checked as create() checks it, not saved: create() and a user backup's
   * restore (which keeps the group's `id`, so agent keys limited to it work again, and brings its tool filter).
   */
  prepare(viewer: Actor, input: CreateGroup, filter?: Pick<UpdateGroup, 'toolFilterMode' | 'toolFilter'>, prefix = 'input', id?: string): Group {
    authorizeAttempt(viewer, Permission.GROUP_CREATE);
    const data = validate(createGroupSchema, input, prefix);
    const toolFilter = validate(updateGroupSchema.pick({ toolFilterMode: true, toolFilter: true }), filter ?? {}, prefix);
    const slug = data.slug ?? slugFromName(data.name);
    if (!slug) throw badInput(`${prefix}.slug`, 'cannot be derived from the name (no letters or digits); give one');
    return this.groups.create({
      ...(id ? { id } : {}),
      name: data.name,
      slug,
      description: data.description || null,
      ownerId: viewer.id,
      toolNaming: data.toolNaming ?? ToolNaming.PREFIX_WHEN_NEEDED,
      toolFilterMode: toolFilter.toolFilterMode ?? ToolFilterMode.NONE,
      toolFilter: toolFilter.toolFilter ?? [],
      toolPinning: data.toolPinning ?? ToolPinningMode.WARN,
    });
  }

  async update(viewer: Actor, id: string, input: UpdateGroup): Promise<Group> {
    const data = validate(updateGroupSchema, input, 'input');
    assertUuid(id, 'id');
    return this.change(viewer, id, async (manager, group) => {
      if (data.name != null) group.name = data.name;
      if (data.slug != null) group.slug = data.slug;
      if (data.description !== undefined) group.description = data.description || null;
      if (data.toolNaming != null) group.toolNaming = data.toolNaming;
      if (data.toolFilterMode != null) group.toolFilterMode = data.toolFilterMode;
      if (data.toolFilter != null) group.toolFilter = data.toolFilter;
      if (data.toolPinning != null) group.toolPinning = data.toolPinning;
      const result = await uniqueSlug(group.slug, false, () => manager.getRepository(Group).save(group));
      return { result, reason: 'updateGroup' };
    });
  }

  /** Revisions go with the group (ON DELETE CASCADE): nothing is left to roll back. */
  async remove(viewer: Actor, id: string): Promise<boolean> {
    const group = await this.get(viewer, id, 'id', Permission.GROUP_DELETE);
    // One transaction: the shares go with the group, and the audit entry (remove() hands it the row) commits with both.
    await this.groups.manager.transaction(async (manager) => {
      await manager.getRepository(Group).remove(group);
      await this.shares.removeAllFor(manager, ShareableType.GROUP, id);
    });
    await this.bus.publish({ kind: 'group', id });
    return true;
  }

  /** What the access policy lets the viewer read. */
  list(viewer: Actor, page: { first?: number; offset?: number }): Promise<Group[]> {
    const { first, offset } = validate(pageSchema, page);
    return this.groups.find({
      where: visibleGroupsWhere(viewer),
      order: { createdAt: 'ASC', id: 'ASC' },
      take: first,
      skip: offset,
    });
  }

  /** Someone else's group is "not found" to a member (unless shared with their team). */
  async get(viewer: Actor, id: string, field = 'id', permission = Permission.GROUP_READ): Promise<Group> {
    assertUuid(id, field);
    return authorizeGroup(viewer, permission, await this.shares.attach(ShareableType.GROUP, await this.groups.findOneBy({ id })), id);
  }

  /** Each id must name a group the viewer may use (one query); an unknown or foreign id is "not found", naming the field. */
  async assertAllUsable(viewer: Actor, ids: readonly string[], field: string): Promise<void> {
    if (!ids.length) return;
    ids.forEach((id) => assertUuid(id, field));
    const groups = await this.shares.attachAll(ShareableType.GROUP, await this.groups.findBy({ id: In([...ids]) }));
    const visible = new Set(groups.filter((g) => can(viewer, Permission.GROUP_USE, g)).map((g) => g.id));
    const missing = ids.find((id) => !visible.has(id));
    if (missing) throw new DomainError(ErrorCode.NOT_FOUND, `${field}: group ${missing} not found`, { field });
  }

  async getBySlug(viewer: Actor, slug: string): Promise<Group> {
    return authorizeGroup(viewer, Permission.GROUP_READ, await this.shares.attach(ShareableType.GROUP, await this.groups.findOneBy({ slug })), slug);
  }

  /** Adding a server exposes it to everyone who may use the group: it takes the right to share the server. Twice is a CONFLICT. */
  async addServer(viewer: Actor, groupId: string, serverId: string): Promise<Group> {
    assertUuid(groupId, 'groupId');
    // Outside the transaction: ServersService reads on its own connection.
    const server = await this.servers.get(viewer, serverId, 'serverId', Permission.SERVER_SHARE);
    return this.change(viewer, groupId, async (manager, group) => {
      const members = manager.getRepository(GroupServer);
      const last = await members.maximum('position', { groupId: group.id });
      try {
        await members.insert({ groupId: group.id, serverId: server.id, position: (last ?? -1) + 1 });
      } catch (error) {
        if (isPgError(error, '23505')) {
          throw new DomainError(ErrorCode.CONFLICT, `serverId: server ${server.slug} is already in group ${group.slug}`, { field: 'serverId' });
        }
        // The server was removed between the check and the insert.
        if (isPgError(error, '23503')) throw notFound('Server', serverId);
        throw error;
      }
      return { result: group, reason: `addServerToGroup ${server.slug}` };
    });
  }

  /**
   * addServer for a server the caller's transaction has just created (its creator owns it, so may share it): the
   * membership and the group's revision commit with it. The caller publishes the `group` change after its commit.
   */
  async addNewServerWithin(manager: EntityManager, viewer: Actor, groupId: string, server: Pick<McpServer, 'id' | 'slug'>, field = 'groupId'): Promise<Group> {
    assertUuid(groupId, field);
    const locked = await this.shares.attach(ShareableType.GROUP, await lockGroup(manager, groupId), manager);
    const group = authorizeGroup(viewer, Permission.GROUP_UPDATE, locked, groupId);
    const members = manager.getRepository(GroupServer);
    const last = await members.maximum('position', { groupId: group.id });
    await members.insert({ groupId: group.id, serverId: server.id, position: (last ?? -1) + 1 });
    await this.revisions.record(manager, group.id, `addServerToGroup ${server.slug}`, viewer.id);
    return group;
  }

  /** Removing needs only the group: an admin may have put a server the member does not own into it. */
  async removeServer(viewer: Actor, groupId: string, serverId: string): Promise<Group> {
    assertUuid(groupId, 'groupId');
    assertUuid(serverId, 'serverId');
    return this.change(viewer, groupId, async (manager, group) => {
      const members = manager.getRepository(GroupServer);
      const member = await members.findOne({ where: { groupId: group.id, serverId }, relations: { server: true } });
      if (!member) throw new DomainError(ErrorCode.NOT_FOUND, `Server ${serverId} is not in group ${group.slug}`);
      await members.remove(member);
      return { result: group, reason: `removeServerFromGroup ${member.server?.slug ?? serverId}` };
    });
  }

  /**
   * Puts the members in this order: the first member owns a tool name or resource URI two would share, and it is
   * the order FALLBACK rules are written against. Must list every member once.
   */
  async reorderServers(viewer: Actor, groupId: string, serverIds: string[]): Promise<Group> {
    assertUuid(groupId, 'groupId');
    const order = validate(reorderSchema, serverIds, 'serverIds');
    return this.change(viewer, groupId, async (manager, group) => {
      const members = manager.getRepository(GroupServer);
      const current = await members.find({ where: { groupId: group.id }, order: { position: 'ASC', createdAt: 'ASC' } });
      const currentIds = new Set(current.map((m) => m.serverId));
      if (order.length !== current.length || new Set(order).size !== order.length || order.some((id) => !currentIds.has(id))) {
        throw badInput('serverIds', `must list each of the ${current.length} servers of group ${group.slug} once, in the new order`);
      }
      for (const { serverId, position } of membershipDiff(current, order).move) await members.update({ groupId: group.id, serverId }, { position });
      return { result: group, reason: 'reorderGroupServers' };
    });
  }

  /** Member servers of each group, in position order; one query for many groups. */
  async serversOf(groupIds: string[]): Promise<Map<string, McpServer[]>> {
    const result = new Map<string, McpServer[]>(groupIds.map((id) => [id, []]));
    if (!groupIds.length) return result;
    const rows = await this.members.find({
      where: { groupId: In(groupIds) },
      relations: { server: true },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
    for (const row of rows) if (row.server) result.get(row.groupId)!.push(row.server);
    return result;
  }

  /** The members' discovered tools as agents see them (the gateway's naming and filter), exposed or not. */
  tools(group: Group, members: McpServer[]): GroupToolView[] {
    return discoveredNaming(group, members).tools.map(({ name, qualifiedName, ownName, serverId, serverSlug, item, exposed }) => ({
      name,
      qualifiedName,
      toolName: ownName,
      description: item.description ?? null,
      serverId,
      serverSlug,
      exposed,
    }));
  }

  /** Names and URIs two members share, from the same discovered lists and naming as tools(). */
  namingCollisions(group: Group, members: McpServer[]): NamingCollision[] {
    return discoveredNaming(group, members).collisions;
  }

  endpoints(group: Group): GroupEndpoints {
    return groupEndpoints(this.config.http.publicUrl, group.slug);
  }

  clientConfigs(group: Group): ClientConfig[] {
    return groupClientConfigs(this.endpoints(group).streamableHttp, group.slug);
  }

  async resolveAll(): Promise<ResolvedGroup[]> {
    const [groups, members, shares] = await Promise.all([
      this.groups.find({ order: { createdAt: 'ASC', id: 'ASC' } }),
      this.members.find({ order: { position: 'ASC', createdAt: 'ASC' } }),
      this.shares.allOf(ShareableType.GROUP),
    ]);
    return groups.map((g) => resolved(g, members.filter((m) => m.groupId === g.id), shares.get(g.id) ?? []));
  }

  /** These groups only (three queries for any number): a view reloading after a change to some. Missing ids were deleted. */
  async resolveMany(ids: readonly string[]): Promise<ResolvedGroup[]> {
    const valid = ids.filter((id) => z.uuid().safeParse(id).success);
    if (!valid.length) return [];
    const [groups, members] = await Promise.all([
      this.groups.find({ where: { id: In(valid) }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.members.find({ where: { groupId: In(valid) }, order: { position: 'ASC', createdAt: 'ASC' } }),
    ]);
    await this.shares.attachAll(ShareableType.GROUP, groups);
    return groups.map((g) => resolved(g, members.filter((m) => m.groupId === g.id), g.shares ?? []));
  }

  async resolveOne(id: string): Promise<ResolvedGroup | null> {
    return (await this.resolveMany([id]))[0] ?? null;
  }

  /** Locks the group, applies the change and records the revision in one transaction; publishes after commit. */
  private async change<T>(viewer: Actor, groupId: string, apply: GroupChange<T>): Promise<T> {
    const result = await this.groups.manager.transaction(async (manager) => {
      const locked = await this.shares.attach(ShareableType.GROUP, await lockGroup(manager, groupId), manager);
      const group = authorizeGroup(viewer, Permission.GROUP_UPDATE, locked, groupId);
      const { result, reason } = await apply(manager, group);
      await this.revisions.record(manager, group.id, reason, viewer.id);
      return result;
    });
    await this.bus.publish({ kind: 'group', id: groupId });
    return result;
  }
}

/** Maps the slug's unique violation to a CONFLICT naming input.slug. */
async function uniqueSlug<T>(slug: string, derived: boolean, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (isPgError(error, '23505', 'groups')) throw slugTaken(slug, derived);
    throw error;
  }
}

type DiscoveredItem = { name?: string; description?: string | null; uri?: string; uriTemplate?: string };

/**
 * The gateway's naming over what each member offered when last discovered (testServer). Undiscovered members add
 * nothing; disabled ones neither, as the gateway leaves them out (they would change who needs a prefix).
 */
function discoveredNaming(group: Group, members: McpServer[]): GroupNaming<DiscoveredItem> {
  const catalogs: MemberCatalog<DiscoveredItem>[] = members.filter((s) => s.enabled).map((s) => ({
    serverId: s.id,
    serverSlug: s.slug,
    tools: s.capabilities?.tools ?? [],
    prompts: s.capabilities?.prompts ?? [],
    resources: s.capabilities?.resources ?? [],
    resourceTemplates: s.capabilities?.resourceTemplates ?? [],
  }));
  return nameGroup(group.toolNaming, { mode: group.toolFilterMode, tools: group.toolFilter }, catalogs);
}

function resolved(group: Group, members: GroupServer[], shares: ResourceShare[]): ResolvedGroup {
  return {
    id: group.id,
    slug: group.slug,
    name: group.name,
    ownerId: group.ownerId,
    shares: shares.map(({ teamId, level }) => ({ teamId, level })),
    serverIds: members.map((m) => m.serverId),
    toolNaming: group.toolNaming,
    toolFilter: { mode: group.toolFilterMode, tools: [...group.toolFilter] },
    toolPinning: group.toolPinning,
  };
}
