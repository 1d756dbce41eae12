import type { CallOutcome } from './call-log-entry.js';

/** What a listing, an export or an analytics query asks for (validated by CallLogService). */
export interface CallLogFilter {
  from?: Date;
  to?: Date;
  keyId?: string;
  userId?: string;
  groupId?: string;
  serverId?: string;
  /** The tool (or prompt) name as agents call it, or the resource URI. */
  tool?: string;
  outcome?: CallOutcome;
  /** true: only calls that did not end OK (any failure); false: only calls that did. */
  failed?: boolean;
  method?: string;
}

/** A filter as callers send it (GraphQL sends null for an unset field); validated into a CallLogFilter. */
export type CallLogFilterInput = { [K in keyof CallLogFilter]?: CallLogFilter[K] | null };

/** A WHERE clause built from parts, with positional parameters ($1, $2, ...). */
export class SqlConditions {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  /** `sql` uses `?` for each value, in order. */
  add(sql: string, ...values: unknown[]): this {
    let next = 0;
    const text = sql.replace(/\?/g, () => `$${this.params.push(values[next++])}`);
    this.parts.push(`(${text})`);
    return this;
  }

  /** A parameter for use outside the WHERE clause (LIMIT, cursor); returns its placeholder. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
