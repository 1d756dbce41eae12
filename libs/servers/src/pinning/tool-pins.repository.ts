import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, type EntityManager, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { ToolDefinition } from './tool-definition.js';
import { ToolPin } from './tool-pin.entity.js';

/** A tool definition as the gateway saw it. */
export interface SeenTool {
  toolName: string;
  hash: string;
  definition: ToolDefinition;
}

/** Every query of tool pins. Writes of the gateway's observations go around the entity listeners (no audit scope). */
@Injectable()
export class ToolPinsRepository {
  constructor(@InjectRepository(ToolPin) private readonly pins: Repository<ToolPin>) {}

  /** Hashes only: what the gateway keeps in memory. */
  hashes(serverId?: string): Promise<Pick<ToolPin, 'serverId' | 'toolName' | 'approvedHash' | 'pendingHash'>[]> {
    return this.pins.find({ select: { serverId: true, toolName: true, approvedHash: true, pendingHash: true }, where: serverId ? { serverId } : {} });
  }

  /** Pending changes of these servers, oldest first. */
  pending(serverIds: readonly string[]): Promise<ToolPin[]> {
    if (!serverIds.length) return Promise.resolve([]);
    return this.pins.find({ where: { serverId: In([...serverIds]), pendingHash: Not(IsNull()) }, order: { detectedAt: 'ASC', toolName: 'ASC' } });
  }

  /** Trust on first use: pins what is not pinned yet; a pin another hub wrote first stays. */
  async pinFirstUse(serverId: string, tools: SeenTool[], at: Date): Promise<void> {
    if (!tools.length) return;
    await this.pins
      .createQueryBuilder()
      .insert()
      .into(ToolPin)
      .values(tools.map((t) => ({ serverId, toolName: t.toolName, approvedHash: t.hash, approvedDefinition: t.definition, approvedAt: at, approvedBy: null }) as QueryDeepPartialEntity<ToolPin>))
      .orIgnore()
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  /**
   * Records a drift unless this very definition is already pending (or is the approved one). Returns the pin as it
   * was before when it recorded one, null otherwise.
   */
  async markDrift(manager: EntityManager, serverId: string, tool: SeenTool, at: Date): Promise<ToolPin | null> {
    const pin = await manager.getRepository(ToolPin).findOne({ where: { serverId, toolName: tool.toolName }, lock: { mode: 'pessimistic_write' } });
    if (!pin || pin.approvedHash === tool.hash || pin.pendingHash === tool.hash) return null;
    await manager
      .createQueryBuilder()
      .update(ToolPin)
      .set({ pendingHash: tool.hash, pendingDefinition: tool.definition, detectedAt: at } as QueryDeepPartialEntity<ToolPin>)
      .where({ serverId, toolName: tool.toolName })
      .callListeners(false)
      .updateEntity(false)
      .execute();
    return pin;
  }

  /** The server offers the approved definition again: nothing is pending any more. */
  async clearDrift(serverId: string, toolName: string, approvedHash: string): Promise<void> {
    await this.pins
      .createQueryBuilder()
      .update(ToolPin)
      .set({ pendingHash: null, pendingDefinition: null, detectedAt: null })
      .where({ serverId, toolName, approvedHash, pendingHash: Not(IsNull()) })
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  lockOne(manager: EntityManager, serverId: string, toolName: string): Promise<ToolPin | null> {
    return manager.getRepository(ToolPin).findOne({ where: { serverId, toolName }, lock: { mode: 'pessimistic_write' } });
  }
}
