/** What a restore does with a row of the archive that the hub already has (same id, or same unique name). */
export enum ConflictStrategy {
  /** Keep the hub's row; the archive's is left out (and so are rows that need it). */
  SKIP = 'SKIP',
  /** The archive wins: a row with the same id is updated; a row holding the same unique name is replaced. */
  OVERWRITE = 'OVERWRITE',
  /** Keep the hub's row and restore the archive's beside it under a suffixed slug (`dev` → `dev-restored`). */
  RENAME = 'RENAME',
}

export enum RestoreAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  /** Another row held the same unique name: deleted (with what depends on it), the archive's row put in. */
  REPLACE = 'REPLACE',
  RENAME = 'RENAME',
  SKIP = 'SKIP',
  /** A USER restore: the check a person is held to when making it by hand refused it (the reason says which). */
  REFUSED = 'REFUSED',
  UNCHANGED = 'UNCHANGED',
}

export interface RestoreItem {
  table: string;
  /** The row's primary key values, joined with `/`. */
  key: string;
  action: RestoreAction;
  reason: string | null;
}

export interface RestoreTableCounts {
  table: string;
  created: number;
  changed: number;
  skipped: number;
  unchanged: number;
}

export interface RestoreReport {
  dryRun: boolean;
  strategy: ConflictStrategy;
  /** Non-null when the archive was written by a hub at another migration. */
  schemaNote: string | null;
  tables: RestoreTableCounts[];
  created: number;
  changed: number;
  skipped: number;
  unchanged: number;
  /** Every row that is not UNCHANGED, at most RESTORE_REPORT_MAX_ITEMS. */
  items: RestoreItem[];
  itemsOmitted: number;
}

export const RESTORE_REPORT_MAX_ITEMS = 500;

/** Accumulates a report while a restore (or its dry run) goes through the rows. */
export class RestoreReportBuilder {
  private readonly counts = new Map<string, RestoreTableCounts>();
  private readonly items: RestoreItem[] = [];
  private omitted = 0;

  constructor(
    private readonly dryRun: boolean,
    private readonly strategy: ConflictStrategy,
    private readonly schemaNote: string | null,
  ) {}

  add(table: string, key: string, action: RestoreAction, reason: string | null = null): void {
    let c = this.counts.get(table);
    if (!c) this.counts.set(table, (c = { table, created: 0, changed: 0, skipped: 0, unchanged: 0 }));
    if (action === RestoreAction.CREATE || action === RestoreAction.RENAME) c.created++;
    else if (action === RestoreAction.UPDATE || action === RestoreAction.REPLACE) c.changed++;
    else if (action === RestoreAction.SKIP || action === RestoreAction.REFUSED) c.skipped++;
    else c.unchanged++;
    if (action === RestoreAction.UNCHANGED) return;
    if (this.items.length < RESTORE_REPORT_MAX_ITEMS) this.items.push({ table, key, action, reason });
    else this.omitted++;
  }

  build(): RestoreReport {
    const tables = [...this.counts.values()];
    const sum = (k: 'created' | 'changed' | 'skipped' | 'unchanged') => tables.reduce((n, t) => n + t[k], 0);
    return {
      dryRun: this.dryRun,
      strategy: this.strategy,
      schemaNote: this.schemaNote,
      tables,
      created: sum('created'),
      changed: sum('changed'),
      skipped: sum('skipped'),
      unchanged: sum('unchanged'),
      items: this.items,
      itemsOmitted: this.omitted,
    };
  }
}

/** The report's note when the archive was written at another migration than this hub's (null when the same). */
export const schemaDifference = (archiveSchema: string, hubSchema: string): string | null =>
  archiveSchema === hubSchema ? null : `The archive was written at migration ${archiveSchema}; this hub is at ${hubSchema}`;
