import { randomUUID } from 'node:crypto';
import { currentRequest, withRequestContext, type RequestContext } from '#core';
import type { AuditChange } from '../audit-entry.entity.js';

/**
 * One audited operation (a GraphQL mutation) while it runs: what it is called, its arguments' ids (to name the
 * target) and, once a transaction of it has committed, the id of its entry, so that later transactions of the same
 * operation add their changes to that one entry.
 */
export class AuditScope {
  /** Set when a transaction that wrote the entry has committed. */
  entryId: string | null = null;
  /** Changes of the operation's transactions, in commit order (they are in the entry too). */
  readonly committed: AuditChange[] = [];
  private open = true;

  constructor(
    readonly action: string,
    readonly args: Readonly<Record<string, unknown>>,
  ) {}

  /** Writes after the operation returned (a timer it started, say) are not part of it. */
  get isOpen(): boolean {
    return this.open;
  }

  close(): void {
    this.open = false;
  }
}

/** The audited operation this code runs for, if any and if it is still running. */
export function currentAuditScope(): AuditScope | undefined {
  const scope = currentRequest()?.auditScope;
  return scope instanceof AuditScope && scope.isOpen ? scope : undefined;
}

/**
 * Runs `fn` as `scope`, in a copy of the request's context (one without a request, e.g. a mutation over WebSocket,
 * gets a correlation id of its own). `fn` gets the copy: who the operation acted as is recorded there.
 */
export function runInAuditScope<T>(scope: AuditScope, fn: (context: RequestContext) => T): T {
  const context: RequestContext = { ...(currentRequest() ?? { correlationId: randomUUID() }), auditScope: scope };
  return withRequestContext(context, () => fn(context));
}
