import { Injectable } from '@nestjs/common';

/**
 * Where ciphertexts live. Every domain that stores values sealed with SecretBox registers its columns here, so
 * whole-hub operations (key rotation, backup and restore) reach every secret without knowing the domains.
 */
export interface SealedColumn {
  /** Table and column as in the database (snake_case), e.g. `mcp_servers` / `env`. */
  table: string;
  column: string;
  /** The primary-key column(s) that identify a row, e.g. `['id']`. */
  key: readonly string[];
  /**
   * `text`: the column holds one ciphertext (or null). `entries`: a jsonb array of `{ name, value }` whose values
   * are ciphertexts (env variables, headers).
   */
  shape: 'text' | 'entries';
  /** The associated data the value was sealed with, from the row's columns (raw names) and, for entries, the entry name. */
  context(row: Record<string, unknown>, entryName?: string): string;
  /** Short-lived rows (sign-in flows) that expire on their own: a backup leaves them out. */
  transient?: boolean;
}

@Injectable()
export class SealedColumnRegistry {
  private readonly columns = new Map<string, SealedColumn>();

  /** Called by each domain module when it starts; registering the same table and column twice keeps the last. */
  register(...columns: SealedColumn[]): void {
    for (const c of columns) this.columns.set(`${c.table}.${c.column}`, c);
  }

  all(): SealedColumn[] {
    return [...this.columns.values()];
  }
}
