import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { DomainError, ErrorCode, currentRequest } from '#core';
import { AuditOutcome, type AuditChange } from './audit-entry.entity.js';
import { AuditLogRepository, type NewAuditEntry } from './audit-log.repository.js';
import type { AuditScope } from './recording/audit-scope.js';
import { auditTarget } from './recording/audit-target.js';

/** How an operation ended, as the log records it. */
export interface AuditResult {
  outcome: AuditOutcome;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** An action that is not a GraphQL mutation (a sign-in through a browser redirect, say), recorded on its own. */
export interface StandaloneAuditEntry extends AuditResult {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  changes?: AuditChange[];
}

// Refusals: the actor may not (or is not known, or is throttled); anything else that fails is FAILED.
const DENIED_CODES = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.UNAUTHENTICATED, ErrorCode.RATE_LIMITED]);
const MAX_MESSAGE_CHARS = 500;
const isUuid = (v: string | undefined) => !!v && z.uuid().safeParse(v).success;

/** The outcome of an operation that threw: domain errors keep code and message; anything else only its kind. */
export function resultOf(error: unknown): AuditResult {
  if (error instanceof DomainError) {
    return {
      outcome: DENIED_CODES.has(error.code) ? AuditOutcome.DENIED : AuditOutcome.FAILED,
      errorCode: error.code,
      errorMessage: error.message.slice(0, MAX_MESSAGE_CHARS),
    };
  }
  // An unexpected error's text may quote SQL or values: the log (pino) has it, the audit trail only says it happened.
  return { outcome: AuditOutcome.FAILED, errorCode: 'INTERNAL', errorMessage: 'Internal error' };
}

/** Writes audit entries; who, from where and which request come from the request context. */
@Injectable()
export class AuditLogWriter {
  constructor(
    private readonly entries: AuditLogRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Inside the committing transaction of an audited operation: its entry, or (for a later transaction of the same
   * operation) more changes on it. Returns the id of an entry it created; it exists once the transaction commits.
   */
  async writeInTransaction(manager: EntityManager, scope: AuditScope, changes: AuditChange[]): Promise<string | null> {
    if (scope.entryId) {
      if (changes.length) await this.entries.appendChanges(manager, scope.entryId, changes);
      return null;
    }
    const entry = this.entry(scope.action, { outcome: AuditOutcome.SUCCESS }, changes, auditTarget(scope.action, scope.args, changes));
    await this.entries.insert(manager, entry);
    return entry.id;
  }

  /**
   * After the operation: the entry of an operation that committed nothing (refused, failed, or a restart that writes
   * no row), or the final outcome of one whose changes committed before it failed.
   */
  async settle(scope: AuditScope, result: AuditResult): Promise<void> {
    if (scope.entryId) {
      if (result.outcome !== AuditOutcome.SUCCESS) await this.entries.setOutcome(scope.entryId, result.outcome, result.errorCode ?? null, result.errorMessage ?? null);
      return;
    }
    await this.entries.insert(this.dataSource.manager, this.entry(scope.action, result, [], auditTarget(scope.action, scope.args, [])));
  }

  /** One entry now: on its own, or on `manager`'s transaction so it commits with the change it describes. */
  async record(standalone: StandaloneAuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const { action, changes = [], targetType = null, targetId = null, ...result } = standalone;
    await this.entries.insert(manager, this.entry(action, result, changes, { type: targetType, id: targetId }));
  }

  private entry(action: string, result: AuditResult, changes: AuditChange[], target: { type: string | null; id: string | null }): NewAuditEntry {
    const request = currentRequest();
    return {
      id: randomUUID(),
      action,
      actorId: isUuid(request?.actorId) ? request!.actorId! : null,
      actorLabel: request?.actorLabel ?? null,
      authMethod: request?.authMethod ?? null,
      targetType: target.type,
      targetId: target.id,
      changes,
      outcome: result.outcome,
      errorCode: result.errorCode ?? null,
      errorMessage: result.errorMessage ?? null,
      ip: request?.ip ?? null,
      userAgent: request?.userAgent ?? null,
      correlationId: request?.correlationId ?? null,
    };
  }
}
