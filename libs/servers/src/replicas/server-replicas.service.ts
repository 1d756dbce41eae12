import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, badInput, notFound, validate } from '#core';
import { Permission, authorizeAttempt, type Actor } from '#auth';
import { McpServer, ServerTransport } from '../mcp-server.entity.js';
import { serverConfigSchema } from '../server-input.schema.js';
import { ServerSecrets } from '../server-secrets.js';
import { ServersService } from '../servers.service.js';
import type { EgressMode } from '../egress/egress-policy.js';
import { balancingSchema, replicaPlacementSchema } from './replica-input.schema.js';
import { ServerEndpoint } from '../endpoints/server-endpoint.entity.js';
import { primaryEndpoint } from '../endpoints/primary-endpoint.js';

export interface ReplicaInput {
  name: string;
  transport: ServerTransport;
  command?: string | null;
  args?: string[] | null;
  env?: { name: string; value: string }[] | null;
  cwd?: string | null;
  url?: string | null;
  headers?: { name: string; value: string }[] | null;
  weight?: number | null;
  priority?: number | null;
  enabled?: boolean | null;
}

export type BalancingInput = z.input<typeof balancingSchema>;

/**
 * Replicas of a server (its endpoints other than the primary) and how calls are spread over them. Same permissions
 * as editing the server.
 */
@Injectable()
export class ServerReplicasService {
  constructor(
    @InjectRepository(ServerEndpoint) private readonly endpoints: Repository<ServerEndpoint>,
    @InjectRepository(McpServer) private readonly servers: Repository<McpServer>,
    private readonly serversService: ServersService,
    private readonly secrets: ServerSecrets,
    private readonly bus: ConfigChangeBus,
  ) {}

  /** Whether replicaId names one of the server's endpoints, its primary included. */
  isReplicaOf(serverId: string, replicaId: string): Promise<boolean> {
    return z.uuid().safeParse(replicaId).success ? this.endpoints.existsBy({ id: replicaId, serverId }) : Promise.resolve(false);
  }

  async add(viewer: Actor, serverId: string, input: ReplicaInput): Promise<ServerEndpoint> {
    const server = await this.serversService.get(viewer, serverId, 'serverId', Permission.SERVER_UPDATE);
    const replica = this.prepare(viewer, server, input, await this.serversService.egressMode(viewer, server));
    const saved = await this.endpoints.save(replica);
    await this.bus.publish({ kind: 'server', id: serverId });
    return saved;
  }

  /**
   * A new replica of `server` (an endpoint, not its primary), checked (input, who may run commands, egress under the
   * server owner's `egress` mode) and its secrets sealed, not saved: add() and a user backup's restore (which keeps
   * the replica's `id`).
   */
  prepare(viewer: Actor, server: Pick<McpServer, 'id'>, input: ReplicaInput, egress: EgressMode, prefix = 'input', id: string = randomUUID()): ServerEndpoint {
    const { weight, priority, enabled, ...transport } = input;
    const placement = validate(replicaPlacementSchema, { weight, priority, enabled }, prefix);
    const config = validate(serverConfigSchema, transport, prefix);
    if (config.transport === ServerTransport.STDIO) {
      authorizeAttempt(viewer, Permission.SERVER_RUN_COMMAND, "Only admins may add STDIO replicas: stdio servers run programs on the hub's machine");
    }
    this.serversService.assertUrlAllowed(config.url, egress, `${prefix}.url`);
    return this.endpoints.create({
      id,
      serverId: server.id,
      primary: false,
      name: config.name,
      transport: config.transport,
      command: config.command ?? null,
      args: config.args ?? [],
      cwd: config.cwd ?? null,
      url: config.url ?? null,
      env: this.secrets.seal(id, 'env', config.env ?? []),
      headers: this.secrets.seal(id, 'header', config.headers ?? []),
      weight: placement.weight ?? 1,
      priority: placement.priority ?? 0,
      enabled: placement.enabled ?? true,
    });
  }

  /** Changes weight, priority or the enabled flag (a replica's transport is replaced by removing and adding). */
  async update(viewer: Actor, id: string, input: { weight?: number | null; priority?: number | null; enabled?: boolean | null }): Promise<ServerEndpoint> {
    const replica = await this.get(viewer, id);
    const data = validate(replicaPlacementSchema, input, 'input');
    if (data.weight != null) replica.weight = data.weight;
    if (data.priority != null) replica.priority = data.priority;
    if (data.enabled != null) replica.enabled = data.enabled;
    const saved = await this.endpoints.save(replica);
    await this.bus.publish({ kind: 'server', id: replica.serverId });
    return saved;
  }

  async remove(viewer: Actor, id: string): Promise<boolean> {
    const replica = await this.get(viewer, id);
    // remove()/save() rather than delete()/update(): they run in a transaction, which the audit entry joins.
    await this.endpoints.remove(replica);
    await this.bus.publish({ kind: 'server', id: replica.serverId });
    return true;
  }

  /**
   * Checks the balancing settings and applies those given to the server, the primary's weight and tier to its primary
   * endpoint (the API shows them on the server; saved with it): updateBalancing, and a restored server's settings.
   */
  applyBalancing(server: McpServer, input: BalancingInput, prefix = 'input'): McpServer {
    const { weight, priority, ...balancing } = validate(balancingSchema, input, prefix);
    const given = <T extends object>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
    Object.assign(primaryEndpoint(server), given({ weight, priority }));
    return Object.assign(server, given(balancing));
  }

  async updateBalancing(viewer: Actor, serverId: string, input: BalancingInput): Promise<McpServer> {
    const server = await this.serversService.get(viewer, serverId, 'serverId', Permission.SERVER_UPDATE);
    const saved = await this.servers.save(this.applyBalancing(server, input));
    await this.bus.publish({ kind: 'server', id: serverId });
    return saved;
  }

  maskedEntries(replica: ServerEndpoint, kind: 'env' | 'header') {
    return this.secrets.mask(replica, kind);
  }

  /** A replica, never the primary (which is the server's own configuration: updateServer, removeServer). */
  private async get(viewer: Actor, id: string): Promise<ServerEndpoint> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const replica = await this.endpoints.findOneBy({ id, primary: false });
    if (!replica) throw notFound('Replica', id);
    // A replica of a server the viewer cannot see is "not found" (without naming its server); one they see but may
    // not change (a team VIEWER) is FORBIDDEN, as for the server itself.
    await this.serversService.get(viewer, replica.serverId, 'id', Permission.SERVER_UPDATE).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.FORBIDDEN ? error : notFound('Replica', id);
    });
    return replica;
  }
}
