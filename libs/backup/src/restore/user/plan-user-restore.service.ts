import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '#core';
import { Permission, type Actor } from '#auth';
import { CredentialScope, CredentialsService } from '#credentials';
import { Group, GroupRevisionsService, GroupServer, GroupsService } from '#groups';
import { RoutingRule, RoutingRulesService } from '#routing-rules';
import { McpServer, ServerEndpoint, ServerReplicasService, ServersService, egressModeFor } from '#servers';
import { ResourceSharesRepository, ShareableType } from '#users';
import type { OpenedBackup } from '../../archive/archive-reader.js';
import { SecretResealer } from '../../snapshot/secret-resealer.js';
import { TableRowsRepository, type Row, type TableShape } from '../../snapshot/table-rows.repository.js';
import { ConflictStrategy, RestoreAction } from '../restore-report.js';
import { allowed, decideChild, decideOwned, type HubRowLookup } from './restore-decisions.js';
import { groupFilter, groupInput, replicaInput, ruleInput, serverBalancing, serverInput, withPrimary } from './user-rows.js';
import { UserRestorePlan } from './user-restore-plan.js';

/**
 * Plans a USER restore into the restorer's own account as a domain-level import: every item goes through the check
 * the API holds a person to (ServersService.prepare, ServerReplicasService.prepare, GroupsService.prepare,
 * RoutingRulesService.prepare, CredentialsService.setWithin, and the access policy for anything already in the hub).
 * Reads only, on their own connections; the writes it plans run later in one transaction.
 */
@Injectable()
export class PlanUserRestore {
  /** The database's shape of each table (migrations run before the hub starts, so it does not change). */
  private readonly shapes = new Map<string, TableShape>();

  constructor(
    private readonly rows: TableRowsRepository,
    private readonly resealer: SecretResealer,
    private readonly servers: ServersService,
    private readonly replicas: ServerReplicasService,
    private readonly groups: GroupsService,
    private readonly rules: RoutingRulesService,
    private readonly credentials: CredentialsService,
    private readonly revisions: GroupRevisionsService,
    private readonly shares: ResourceSharesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async plan(viewer: Actor, opened: OpenedBackup, strategy: ConflictStrategy, dryRun: boolean, schemaNote: string | null): Promise<UserRestorePlan> {
    const plan = new UserRestorePlan(dryRun, strategy, schemaNote);
    const box = new SecretBox(opened.key.secretsKey);
    const section = (table: string) => (opened.sections[table] ?? []).map((row) => this.resealer.opened(table, row, box));
    await this.planCredentials(plan, viewer, section('credentials'));
    // A primary endpoint is its server's transport: restored with the server; the other endpoints are its replicas.
    const endpoints = section('server_endpoints');
    const primaries = new Map(endpoints.filter((e) => e.primary === true).map((e) => [String(e.server_id), e]));
    await this.planServers(plan, viewer, section('mcp_servers'), primaries);
    await this.planReplicas(plan, viewer, endpoints.filter((e) => e.primary !== true));
    await this.planGroups(plan, viewer, section('groups'));
    await this.planMembers(plan, viewer, section('group_servers'), new Set(section('mcp_servers').map((s) => String(s.id))));
    await this.planRules(plan, section('routing_rules'));
    const touched = new Set([...plan.groups, ...plan.ruleGroups]);
    plan.write(async (manager) => {
      for (const groupId of touched) await this.revisions.record(manager, groupId, 'restoreBackup', viewer.id);
    });
    return plan;
  }

  /** Own credentials, by name: the restorer's slot is the only one a USER restore writes. */
  private async planCredentials(plan: UserRestorePlan, viewer: Actor, rows: Row[]): Promise<void> {
    for (const row of rows) {
      const name = String(row.name);
      const existing = await this.hubRow('credentials', ['scope', 'user_id', 'name'], { scope: CredentialScope.USER, user_id: viewer.id, name });
      if (existing && existing.value === row.value) {
        plan.report.add('credentials', name, RestoreAction.UNCHANGED);
        continue;
      }
      if (existing && plan.strategy !== ConflictStrategy.OVERWRITE) {
        plan.report.add('credentials', name, RestoreAction.SKIP, `you have a credential ${name} with another value; kept yours`);
        continue;
      }
      plan.report.add('credentials', name, existing ? RestoreAction.UPDATE : RestoreAction.CREATE);
      plan.write(async (manager) => {
        plan.credentials.push(await this.credentials.setWithin(manager, viewer, { name, value: String(row.value), scope: CredentialScope.USER }, `credentials.${name}`));
      });
    }
  }

  private async planServers(plan: UserRestorePlan, viewer: Actor, servers: Row[], primaries: Map<string, Row>): Promise<void> {
    for (const server of servers) {
      const id = String(server.id);
      const primary = primaries.get(id);
      if (!primary) {
        plan.report.add('mcp_servers', id, RestoreAction.SKIP, 'the archive holds no primary endpoint (transport) for it');
        continue;
      }
      const row = withPrimary(server, primary);
      const decision = await decideOwned(plan.strategy, this.serverHubRow, 'mcp_servers', 'server', row, {
        change: (other) => this.servers.get(viewer, other, 'id', Permission.SERVER_UPDATE),
        remove: (other) => this.servers.get(viewer, other, 'id', Permission.SERVER_DELETE),
      });
      if (decision.action === RestoreAction.SKIP) {
        plan.report.add('mcp_servers', id, decision.action, decision.reason);
        continue;
      }
      if (decision.action === RestoreAction.UNCHANGED) {
        plan.report.add('mcp_servers', id, decision.action);
        plan.restoredServers.set(id, String(decision.existing.owner_id));
        continue;
      }
      let prepared!: McpServer;
      const refused = await plan.refused('mcp_servers', id, () => {
        prepared = this.servers.prepare(viewer, serverInput(row, decision.slug), `mcp_servers.${String(row.slug)}`, id);
        this.replicas.applyBalancing(prepared, serverBalancing(row), `mcp_servers.${String(row.slug)}`);
      });
      if (refused) continue;
      // Overwriting a thing shared with the restorer changes it, it does not take it over.
      if (decision.existing) prepared.ownerId = String(decision.existing.owner_id);
      plan.report.add('mcp_servers', id, decision.action, decision.reason);
      plan.restoredServers.set(id, prepared.ownerId);
      plan.servers.add(id);
      plan.write(async (manager) => {
        if (decision.replaces) await this.removeReplaced(manager, McpServer, ShareableType.SERVER, decision.replaces);
        // With its primary endpoint (saved with the server); replicas the hub's server has stay.
        await manager.getRepository(McpServer).save(prepared);
      });
      if (decision.replaces) plan.servers.add(decision.replaces);
    }
  }

  private async planReplicas(plan: UserRestorePlan, viewer: Actor, rows: Row[]): Promise<void> {
    for (const row of rows) {
      const id = String(row.id);
      const serverId = String(row.server_id);
      const ownerId = plan.restoredServers.get(serverId);
      if (!ownerId) {
        plan.report.add('server_endpoints', id, RestoreAction.SKIP, `its server ${serverId} is not restored`);
        continue;
      }
      if (id === serverId) {
        plan.report.add('server_endpoints', id, RestoreAction.SKIP, 'a replica cannot have its server’s id (that is the primary endpoint’s)');
        continue;
      }
      const existing = await this.hubRow('server_endpoints', ['id'], row);
      const action = decideChild(plan.strategy, existing, row, 'server_id', 'replica');
      if (action.action !== RestoreAction.CREATE && action.action !== RestoreAction.UPDATE) {
        plan.report.add('server_endpoints', id, action.action, action.reason);
        if (action.action === RestoreAction.UNCHANGED) plan.replicaOwners.set(id, serverId);
        continue;
      }
      const egress = ownerId === viewer.id ? egressModeFor(viewer.role) : await this.servers.egressMode(viewer, { id: serverId, ownerId });
      let replica!: ServerEndpoint;
      if (await plan.refused('server_endpoints', id, () => (replica = this.replicas.prepare(viewer, { id: serverId }, replicaInput(row), egress, `server_endpoints.${String(row.name)}`, id)))) continue;
      plan.report.add('server_endpoints', id, action.action);
      plan.replicaOwners.set(id, serverId);
      plan.servers.add(serverId);
      plan.write(async (manager) => void (await manager.getRepository(ServerEndpoint).save(replica)));
    }
  }

  private async planGroups(plan: UserRestorePlan, viewer: Actor, rows: Row[]): Promise<void> {
    for (const row of rows) {
      const id = String(row.id);
      const decision = await decideOwned(plan.strategy, this.hubRow, 'groups', 'group', row, {
        change: (other) => this.groups.get(viewer, other, 'id', Permission.GROUP_UPDATE),
        remove: (other) => this.groups.get(viewer, other, 'id', Permission.GROUP_DELETE),
      });
      if (decision.action === RestoreAction.SKIP) {
        plan.report.add('groups', id, decision.action, decision.reason);
        continue;
      }
      if (decision.action === RestoreAction.UNCHANGED) {
        plan.report.add('groups', id, decision.action);
        await this.keepGroup(plan, viewer, id, String(decision.existing.slug), false);
        continue;
      }
      let group!: Group;
      if (await plan.refused('groups', id, () => (group = this.groups.prepare(viewer, groupInput(row, decision.slug), groupFilter(row), `groups.${String(row.slug)}`, id)))) continue;
      if (decision.existing) group.ownerId = String(decision.existing.owner_id);
      plan.report.add('groups', id, decision.action, decision.reason);
      await this.keepGroup(plan, viewer, id, decision.slug, !decision.existing);
      plan.groups.add(id);
      plan.write(async (manager) => {
        if (decision.replaces) await this.removeReplaced(manager, Group, ShareableType.GROUP, decision.replaces);
        await manager.getRepository(Group).save(group);
      });
    }
  }

  /** A membership puts a server behind the group's endpoint: the restorer must be allowed to share that server. */
  private async planMembers(plan: UserRestorePlan, viewer: Actor, rows: Row[], archived: Set<string>): Promise<void> {
    for (const row of rows) {
      const groupId = String(row.group_id);
      const serverId = String(row.server_id);
      const key = `${groupId}/${serverId}`;
      const members = plan.members.get(groupId);
      if (!members) {
        plan.report.add('group_servers', key, RestoreAction.SKIP, `its group ${groupId} is not restored`);
        continue;
      }
      if (members.has(serverId)) {
        plan.report.add('group_servers', key, RestoreAction.UNCHANGED);
        continue;
      }
      if (archived.has(serverId) && !plan.restoredServers.has(serverId)) {
        plan.report.add('group_servers', key, RestoreAction.SKIP, `its server ${serverId} is not restored`);
        continue;
      }
      if (!archived.has(serverId) && (await plan.refused('group_servers', key, () => this.servers.get(viewer, serverId, 'serverId', Permission.SERVER_SHARE)))) continue;
      members.add(serverId);
      plan.report.add('group_servers', key, RestoreAction.CREATE);
      plan.groups.add(groupId);
      plan.write(async (manager) => void (await manager.getRepository(GroupServer).insert({ groupId, serverId, position: Number(row.position) })));
    }
  }

  private async planRules(plan: UserRestorePlan, rows: Row[]): Promise<void> {
    for (const row of rows) {
      const id = String(row.id);
      const groupId = String(row.group_id);
      const group = plan.restoredGroups.get(groupId);
      if (!group) {
        plan.report.add('routing_rules', id, RestoreAction.SKIP, `its group ${groupId} is not restored`);
        continue;
      }
      const existing = await this.hubRow('routing_rules', ['id'], row);
      const action = decideChild(plan.strategy, existing, row, 'group_id', 'rule');
      if (action.action !== RestoreAction.CREATE && action.action !== RestoreAction.UPDATE) {
        plan.report.add('routing_rules', id, action.action, action.reason);
        continue;
      }
      const holder = await this.hubRow('routing_rules', ['group_id', 'priority'], row);
      if (holder && holder.id !== id) {
        plan.report.add('routing_rules', id, RestoreAction.SKIP, `rule "${String(holder.name)}" of group ${group.slug} holds priority ${String(row.priority)}`);
        continue;
      }
      await this.knownReplicas(plan, row);
      let rule!: RoutingRule;
      // An update replaces a rule the group has: only a new one counts against the limit.
      const rules = action.action === RestoreAction.CREATE ? plan.ruleCounts.get(groupId)! : 0;
      const members = { servers: plan.members.get(groupId)!, replicas: plan.replicaOwners, rules };
      if (await plan.refused('routing_rules', id, () => (rule = this.rules.prepare({ id: groupId, slug: group.slug }, ruleInput(row), members, `routing_rules.${String(row.name)}`, id)))) continue;
      if (action.action === RestoreAction.CREATE) plan.ruleCounts.set(groupId, rules + 1);
      plan.report.add('routing_rules', id, action.action);
      plan.ruleGroups.add(groupId);
      plan.write(async (manager) => void (await manager.getRepository(RoutingRule).save(rule)));
    }
  }

  /** `fresh`: created by this restore, so no members yet. */
  private async keepGroup(plan: UserRestorePlan, viewer: Actor, id: string, slug: string, fresh: boolean): Promise<void> {
    plan.restoredGroups.set(id, { slug });
    const current = fresh ? [] : ((await this.groups.serversOf([id])).get(id) ?? []);
    plan.members.set(id, new Set(current.map((s) => s.id)));
    plan.ruleCounts.set(id, fresh ? 0 : (await this.rules.list(viewer, id)).length);
  }

  /** A ROUTE rule may name a replica the hub already has (of a member not in the archive). */
  private async knownReplicas(plan: UserRestorePlan, row: Row): Promise<void> {
    const action = row.action as { type?: string; serverId?: string; replicaId?: string } | null;
    if (action?.type !== 'ROUTE' || !action.replicaId || !action.serverId || plan.replicaOwners.has(action.replicaId)) return;
    if (await this.replicas.isReplicaOf(action.serverId, action.replicaId)) plan.replicaOwners.set(action.replicaId, action.serverId);
  }

  /** OVERWRITE of a slug the restorer's own thing holds: removed as deleteServer / deleteGroup would (shares too). */
  private async removeReplaced(manager: EntityManager, entity: typeof McpServer | typeof Group, type: ShareableType, id: string): Promise<void> {
    const repo = manager.getRepository<McpServer | Group>(entity);
    const row = await repo.findOneBy({ id });
    if (row) await repo.remove(row);
    await this.shares.removeAllFor(manager, type, id);
  }

  /** A server of the hub with its primary endpoint's columns, as the archive's are compared (withPrimary). */
  private readonly serverHubRow: HubRowLookup = async (table, key, row) => {
    const server = await this.hubRow(table, key, row);
    const primary = server && (await this.hubRow('server_endpoints', ['id'], server));
    return server && primary ? withPrimary(server, primary) : server;
  };

  private readonly hubRow: HubRowLookup = async (table, key, row) => {
    const manager = this.dataSource.manager;
    let shape = this.shapes.get(table);
    if (!shape) this.shapes.set(table, (shape = await this.rows.shape(manager, table)));
    const [found] = await this.rows.findByKey(manager, shape, key, row);
    return found && this.resealer.opened(table, found, this.resealer.hubBox);
  };
}
