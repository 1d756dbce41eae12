import type { EntityManager } from 'typeorm';
import { DomainError } from '#core';
import type { Credential } from '#credentials';
import { ConflictStrategy, RestoreAction, RestoreReportBuilder } from '../restore-report.js';

/** What a USER restore will do: the report, and the writes that one transaction makes when it is not a dry run. */
export class UserRestorePlan {
  readonly report: RestoreReportBuilder;
  private readonly writes: ((manager: EntityManager) => Promise<void>)[] = [];
  /** Things the restore writes, announced to the in-memory views after the commit. */
  readonly servers = new Set<string>();
  readonly groups = new Set<string>();
  readonly ruleGroups = new Set<string>();
  readonly credentials: Credential[] = [];
  /** Archive servers that exist after the restore (kept or written): id → owner id. */
  readonly restoredServers = new Map<string, string>();
  /** Archive groups that exist after the restore (kept or written): id → slug. */
  readonly restoredGroups = new Map<string, { slug: string }>();
  /** Members of each restored group after the restore, and replica → server of those members' replicas. */
  readonly members = new Map<string, Set<string>>();
  readonly replicaOwners = new Map<string, string>();
  /** Rules each restored group will have: the limit per group holds for restored rules too. */
  readonly ruleCounts = new Map<string, number>();

  constructor(
    dryRun: boolean,
    readonly strategy: ConflictStrategy,
    schemaNote: string | null,
  ) {
    this.report = new RestoreReportBuilder(dryRun, strategy, schemaNote);
  }

  write(work: (manager: EntityManager) => Promise<void>): void {
    this.writes.push(work);
  }

  async apply(manager: EntityManager): Promise<void> {
    for (const work of this.writes) await work(manager);
  }

  /** Runs a domain check; its refusal becomes a REFUSED item naming why (the rest of the plan goes on). */
  async refused(table: string, key: string, check: () => unknown): Promise<boolean> {
    try {
      await check();
      return false;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.report.add(table, key, RestoreAction.REFUSED, error.message);
      return true;
    }
  }
}
