import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigChangeBus, PINO } from '#core';
import { ToolPinsService, definitionHash, toolDefinition, type SeenTool, type ToolObservation } from '#servers';
import type { CatalogItem } from '../upstream/server-catalog.js';

/** What a group catalog asks: is this tool of this server offered with another definition than the approved one? */
export interface ToolPinCheck {
  drifted(serverId: string, toolName: string): boolean;
}

/**
 * Tool pinning in memory, for the data plane: the approved hash of every pinned tool (loaded at start, reloaded per
 * server when its pins change) and the hash of what each server offers now. Comparing them is all the call path
 * does; what is new (first definitions, drifts) is written to the database one server at a time, off that path.
 */
@Injectable()
export class ToolPinView implements ToolPinCheck, OnApplicationShutdown {
  /** serverId → tool → approved hash. */
  private approved = new Map<string, Map<string, string>>();
  /** serverId → tool → the changed hash already recorded as pending (reported once). */
  private reported = new Map<string, Map<string, string>>();
  /** serverId → tool → hash of the definition the server offers now. */
  private readonly current = new Map<string, Map<string, string>>();
  private readonly seen = new WeakMap<CatalogItem, SeenTool>();
  private readonly listeners = new Set<(serverId: string) => void>();
  private writes: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;

  constructor(
    private readonly pins: ToolPinsService,
    private readonly bus: ConfigChangeBus,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Loads every pin; afterwards keeps each server's in step with the database. */
  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribeApplied((change) => {
      if (change.kind === 'tool-pins') return this.reloadServer(change.id);
    });
    const rows = await this.pins.hashes();
    this.approved = new Map();
    this.reported = new Map();
    for (const row of rows) this.apply(row);
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  /** The tools a server serves may have changed state (approved, pinned elsewhere): group catalogs are rebuilt. */
  onChanged(listener: (serverId: string) => void): void {
    this.listeners.add(listener);
  }

  drifted(serverId: string, toolName: string): boolean {
    const approved = this.approved.get(serverId)?.get(toolName);
    const current = this.current.get(serverId)?.get(toolName);
    return approved !== undefined && current !== undefined && approved !== current;
  }

  /**
   * The server's tool list as the gateway just read it. `watched`: some group of the server uses pinning; only then
   * are first definitions pinned and changes reported (a group with pinning OFF asks for nothing).
   */
  observe(serverId: string, tools: CatalogItem[], watched: boolean): void {
    const live = new Map<string, string>();
    const seen = tools.map((tool) => this.seenTool(tool));
    for (const tool of seen) live.set(tool.toolName, tool.hash);
    this.current.set(serverId, live);
    if (!watched) return;
    let approved = this.approved.get(serverId);
    if (!approved) this.approved.set(serverId, (approved = new Map()));
    let reported = this.reported.get(serverId);
    if (!reported) this.reported.set(serverId, (reported = new Map()));
    const observation: ToolObservation = { firstUse: [], drifts: [], resolved: [] };
    for (const tool of seen) {
      const pinned = approved.get(tool.toolName);
      if (pinned === undefined) {
        approved.set(tool.toolName, tool.hash); // trusted at once; the row follows
        observation.firstUse.push(tool);
      } else if (pinned !== tool.hash) {
        if (reported.get(tool.toolName) === tool.hash) continue;
        reported.set(tool.toolName, tool.hash);
        observation.drifts.push(tool);
      } else if (reported.delete(tool.toolName)) {
        observation.resolved.push({ toolName: tool.toolName, approvedHash: pinned });
      }
    }
    if (observation.firstUse.length || observation.drifts.length || observation.resolved.length) this.enqueue(serverId, observation);
  }

  /** Resolves once what was observed so far is in the database (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writes;
  }

  private seenTool(tool: CatalogItem): SeenTool {
    let seen = this.seen.get(tool);
    if (!seen) {
      const definition = toolDefinition(tool);
      seen = { toolName: definition.name, hash: definitionHash(definition), definition };
      this.seen.set(tool, seen);
    }
    return seen;
  }

  /** One write at a time: on PGlite the database serves one query at a time anyway, and order is kept per server. */
  private enqueue(serverId: string, observation: ToolObservation): void {
    this.writes = this.writes
      .then(() => this.pins.record(serverId, observation))
      // This hub keeps them in memory; after a restart they are found again when the server's list is next read.
      .catch((error: Error) => this.logger.error({ serverId, err: error.message }, 'tool pins not saved'));
  }

  private async reloadServer(serverId: string): Promise<void> {
    try {
      const rows = await this.pins.hashes(serverId);
      const before = JSON.stringify([...(this.approved.get(serverId) ?? [])]);
      this.approved.delete(serverId);
      this.reported.delete(serverId);
      for (const row of rows) this.apply(row);
      if (JSON.stringify([...(this.approved.get(serverId) ?? [])]) !== before) for (const l of this.listeners) l(serverId);
    } catch (error) {
      this.logger.error({ serverId, err: (error as Error).message }, 'tool pins reload failed; keeping the previous ones');
    }
  }

  private apply(row: { serverId: string; toolName: string; approvedHash: string; pendingHash: string | null }): void {
    let approved = this.approved.get(row.serverId);
    if (!approved) this.approved.set(row.serverId, (approved = new Map()));
    approved.set(row.toolName, row.approvedHash);
    if (row.pendingHash) {
      let reported = this.reported.get(row.serverId);
      if (!reported) this.reported.set(row.serverId, (reported = new Map()));
      reported.set(row.toolName, row.pendingHash);
    }
  }
}
