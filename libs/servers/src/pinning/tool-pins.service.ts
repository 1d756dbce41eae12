import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, PINO, validate, withRequestContext, type Logger } from '#core';
import { AuditLogWriter, AuditOutcome, Permission, type Actor, type Share } from '#auth';
import { ResourceSharesRepository, ShareableType } from '#users';
import { McpServer } from '../mcp-server.entity.js';
import { ServersService } from '../servers.service.js';
import { ToolPin } from './tool-pin.entity.js';
import { ToolPinsRepository, type SeenTool } from './tool-pins.repository.js';

/** What the gateway saw of one server's tools that the database does not know yet. */
export interface ToolObservation {
  firstUse: SeenTool[];
  drifts: SeenTool[];
  /** Tools back at their approved definition (name → approved hash). */
  resolved: { toolName: string; approvedHash: string }[];
}

/** A drift as subscribers receive it; `ownerId` and `shares` decide who may (SERVER_READ), they are not shown. */
export interface ToolDriftEvent {
  serverId: string;
  serverSlug: string;
  ownerId: string;
  shares: Share[];
  tool: string;
  detectedAt: string;
}

const approveSchema = z.strictObject({
  serverId: z.uuid('must be a server id (UUID)'),
  tool: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

/**
 * Pins of tool definitions per server. The gateway reports what it sees (off its call path); a person who may edit
 * the server approves a changed definition.
 */
@Injectable()
export class ToolPinsService {
  constructor(
    private readonly pins: ToolPinsRepository,
    private readonly servers: ServersService,
    private readonly shares: ResourceSharesRepository,
    private readonly audit: AuditLogWriter,
    private readonly bus: ConfigChangeBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  hashes(serverId?: string) {
    return this.pins.hashes(serverId);
  }

  /** Pending changes per server id, for `Server.toolDrifts` (one query for many servers). */
  async pendingOf(serverIds: readonly string[]): Promise<Map<string, ToolPin[]>> {
    const result = new Map<string, ToolPin[]>(serverIds.map((id) => [id, []]));
    for (const row of await this.pins.pending(serverIds)) result.get(row.serverId)?.push(row);
    return result;
  }

  /**
   * Stores what the gateway saw: first definitions become pins, each new drift is a row plus an audit entry in one
   * transaction and then an event for the owner. Runs in a context of its own: no request's audit scope or actor.
   */
  record(serverId: string, seen: ToolObservation): Promise<void> {
    return withRequestContext({ correlationId: randomUUID() }, async () => {
      const now = new Date();
      await this.pins.pinFirstUse(serverId, seen.firstUse, now);
      for (const { toolName, approvedHash } of seen.resolved) await this.pins.clearDrift(serverId, toolName, approvedHash);
      const server = seen.drifts.length ? await this.shares.attach(ShareableType.SERVER, await this.dataSource.getRepository(McpServer).findOneBy({ id: serverId })) : null;
      for (const tool of server ? seen.drifts : []) {
        const recorded = await this.dataSource.transaction(async (manager) => {
          const before = await this.pins.markDrift(manager, serverId, tool, now);
          if (!before) return false;
          await this.audit.record(
            {
              action: 'toolDriftDetected',
              targetType: 'Server',
              targetId: serverId,
              outcome: AuditOutcome.SUCCESS,
              changes: [
                {
                  entity: 'ToolPin',
                  id: `${serverId}/${tool.toolName}`,
                  op: 'UPDATE',
                  fields: [{ name: 'definition', old: before.approvedDefinition, new: tool.definition }],
                },
              ],
            },
            manager,
          );
          return true;
        });
        if (!recorded) continue;
        this.logger.warn({ serverId, server: server!.slug, tool: tool.toolName }, 'tool definition changed since it was approved');
        const event: ToolDriftEvent = {
          serverId,
          serverSlug: server!.slug,
          ownerId: server!.ownerId,
          shares: (server!.shares ?? []).map(({ teamId, level }) => ({ teamId, level })),
          tool: tool.toolName,
          detectedAt: now.toISOString(),
        };
        await this.bus.publish({ kind: 'tool-drift', id: serverId, detail: { ...event } });
      }
      // Other hubs (and this one) reload the server's pins: all converge on what the database holds.
      await this.bus.publish({ kind: 'tool-pins', id: serverId });
    });
  }

  /** Approves the pending definition of one tool: it becomes the pinned one and the gateway serves the tool again. */
  async approve(viewer: Actor, serverId: string, tool: string): Promise<McpServer> {
    validate(approveSchema, { serverId, tool });
    const server = await this.servers.get(viewer, serverId, 'serverId', Permission.SERVER_UPDATE);
    await this.dataSource.transaction(async (manager) => {
      const pin = await this.pins.lockOne(manager, serverId, tool);
      if (!pin?.pendingHash || !pin.pendingDefinition) {
        throw new DomainError(ErrorCode.NOT_FOUND, `tool: server ${server.slug} has no pending change of tool "${tool}"`, { field: 'tool' });
      }
      Object.assign(pin, {
        approvedHash: pin.pendingHash,
        approvedDefinition: pin.pendingDefinition,
        approvedAt: new Date(),
        approvedBy: viewer.id,
        pendingHash: null,
        pendingDefinition: null,
        detectedAt: null,
      });
      await manager.getRepository(ToolPin).save(pin);
    });
    await this.bus.publish({ kind: 'tool-pins', id: serverId });
    return server;
  }
}
