import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock, ConfigChangeBus, DomainError, ErrorCode, PINO, SecretBox, validate, type Logger } from '#core';
import type { Actor } from '#auth';
import { BACKED_UP_TABLES } from '../backed-up-tables.js';
import { authorizeBackup } from '../storage/backup-access.js';
import { RestoreUserBackupService } from './user/restore-user-backup.service.js';
import { ArchiveReader, type OpenedBackup } from '../archive/archive-reader.js';
import { SecretResealer } from '../snapshot/secret-resealer.js';
import { TableRowsRepository, type Row, type TableShape } from '../snapshot/table-rows.repository.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';
import { ConflictStrategy, RestoreAction, RestoreReportBuilder, schemaDifference, type RestoreReport } from './restore-report.js';
import { sameRow } from './same-row.js';
import { upgradeSections } from './upgrade-sections.js';

/** One restore at a time per database (any hub replica): two would interleave their conflict decisions. */
const RESTORE_LOCK = 0x6d637062; // "mcpb"
const RENAME_ATTEMPTS = 20;

const inputSchema = z.object({
  strategy: z.enum(ConflictStrategy),
  dryRun: z.boolean(),
});

/**
 * Puts an archive's rows back, keeping their ids (API keys are stored as hashes: a key works again because its row,
 * id and hash are back). One transaction for everything: any failure, or a dry run, leaves the hub as it was.
 */
@Injectable()
export class RestoreBackupService {
  constructor(
    private readonly reader: ArchiveReader,
    private readonly rows: TableRowsRepository,
    private readonly resealer: SecretResealer,
    private readonly records: BackupRecordsRepository,
    private readonly userRestore: RestoreUserBackupService,
    private readonly bus: ConfigChangeBus,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** A HUB archive (admins) as raw rows; a USER archive into the caller's own account, through the domain checks. */
  async restore(actor: Actor, id: string, passphrase: string, strategy: ConflictStrategy, dryRun: boolean): Promise<RestoreReport> {
    validate(inputSchema, { strategy, dryRun });
    authorizeBackup(actor, await this.reader.record(id), id);
    const opened = await this.reader.open(id, passphrase);
    if (opened.manifest.scope.kind === 'USER') return this.userRestore.restore(actor, opened, strategy, dryRun);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let report: RestoreReport;
    try {
      await runner.startTransaction();
      await runner.manager.query('SELECT pg_advisory_xact_lock($1)', [RESTORE_LOCK]);
      report = await this.apply(runner.manager, opened, strategy, dryRun);
      if (dryRun) {
        await runner.rollbackTransaction();
      } else {
        // Saved through TypeORM in the same transaction: the audit entry of the mutation commits with the rows.
        opened.record.restoredAt = new Date(this.clock.now());
        opened.record.lastRestore = { at: opened.record.restoredAt.toISOString(), strategy, created: report.created, changed: report.changed, skipped: report.skipped, unchanged: report.unchanged };
        await this.records.save(runner.manager, opened.record);
        await runner.commitTransaction();
      }
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
    if (!dryRun) await this.announce(opened);
    return report;
  }

  private async apply(manager: EntityManager, opened: OpenedBackup, strategy: ConflictStrategy, dryRun: boolean): Promise<RestoreReport> {
    const hubSchema = await this.rows.lastMigration(manager);
    const schemaNote = schemaDifference(opened.manifest.schema, hubSchema);
    const report = new RestoreReportBuilder(dryRun, strategy, schemaNote);
    const archiveBox = new SecretBox(opened.key.secretsKey);
    const present = new Set(await this.rows.tablesInDatabase(manager));
    const known = new Set(BACKED_UP_TABLES.map((t) => t.table));
    const sections = upgradeSections(opened.sections);
    const unknown = Object.keys(sections).filter((t) => !known.has(t) || !present.has(t));
    if (unknown.length) throw incompatible(`it holds table "${unknown[0]}", which this hub does not back up`, schemaNote);
    for (const { table, rename } of BACKED_UP_TABLES) {
      const rows = sections[table];
      if (!rows?.length) continue;
      const shape = await this.rows.shape(manager, table);
      const extra = Object.keys(rows[0]).filter((c) => !shape.columns.includes(c));
      if (extra.length) throw incompatible(`its ${table} rows have column "${extra[0]}", which this hub does not have`, schemaNote);
      for (const archived of rows) {
        const row = this.resealer.reseal(table, archived, archiveBox, this.resealer.hubBox);
        const [action, reason] = await this.restoreRow(manager, shape, rename, strategy, row, archived, archiveBox);
        report.add(table, keyOf(shape, row), action, reason);
      }
    }
    return report.build();
  }

  private async restoreRow(
    manager: EntityManager,
    shape: TableShape,
    rename: string | undefined,
    strategy: ConflictStrategy,
    row: Row,
    archived: Row,
    archiveBox: SecretBox,
  ): Promise<[RestoreAction, string | null]> {
    const [existing] = await this.rows.findByKey(manager, shape, shape.primaryKey, row);
    if (existing) {
      if (sameRow(this.resealer.opened(shape.table, existing, this.resealer.hubBox), this.resealer.opened(shape.table, archived, archiveBox))) return [RestoreAction.UNCHANGED, null];
      if (strategy !== ConflictStrategy.OVERWRITE) return [RestoreAction.SKIP, 'the hub has this row with other values; kept the hub’s'];
      const updated = await this.rows.attempt(manager, () => this.rows.update(manager, shape, row));
      return updated.ok ? [RestoreAction.UPDATE, null] : [RestoreAction.SKIP, `could not update: ${updated.detail}`];
    }
    const inserted = await this.rows.attempt(manager, () => this.rows.insert(manager, shape, row));
    if (inserted.ok) return [RestoreAction.CREATE, null];
    if (inserted.code === '23503') return [RestoreAction.SKIP, `refers to a row that is not in the hub (${inserted.detail})`];
    if (inserted.code !== '23505') return [RestoreAction.SKIP, inserted.detail];
    const clashes = await this.clashes(manager, shape, row);
    const names = clashes.map((c) => `${c.columns.join(', ')} = ${c.columns.map((col) => String(row[col])).join(', ')}`).join('; ');
    if (strategy === ConflictStrategy.OVERWRITE) {
      for (const clash of clashes) await this.rows.deleteByKey(manager, shape, clash.row);
      const replaced = await this.rows.attempt(manager, () => this.rows.insert(manager, shape, row));
      return replaced.ok ? [RestoreAction.REPLACE, `replaced the hub’s row holding ${names}`] : [RestoreAction.SKIP, `could not replace: ${replaced.detail}`];
    }
    if (strategy === ConflictStrategy.RENAME && rename && typeof row[rename] === 'string' && clashes.some((c) => c.columns.includes(rename))) {
      for (let n = 1; n <= RENAME_ATTEMPTS; n++) {
        const value = `${row[rename] as string}-restored${n === 1 ? '' : `-${n}`}`;
        const renamed = await this.rows.attempt(manager, () => this.rows.insert(manager, shape, { ...row, [rename]: value }));
        if (renamed.ok) return [RestoreAction.RENAME, `${rename} ${String(row[rename])} → ${value}`];
        if (renamed.code !== '23505') return [RestoreAction.SKIP, renamed.detail];
      }
    }
    return [RestoreAction.SKIP, `another row holds ${names || 'the same unique value'}`];
  }

  /** Rows of the hub (other than this one) holding one of the row's unique values. */
  private async clashes(manager: EntityManager, shape: TableShape, row: Row): Promise<{ columns: string[]; row: Row }[]> {
    const found: { columns: string[]; row: Row }[] = [];
    for (const columns of shape.uniques) {
      if (columns.some((c) => row[c] === null || row[c] === undefined)) continue;
      for (const other of await this.rows.findByKey(manager, shape, columns, row)) {
        if (keyOf(shape, other) !== keyOf(shape, row)) found.push({ columns, row: other });
      }
    }
    return found;
  }

  /** Every in-memory view (gateway, key cache, health schedules, tool pins) reloads from the restored rows. */
  private async announce(opened: OpenedBackup): Promise<void> {
    try {
      await this.bus.publish({ kind: 'server', id: '*' });
      await this.bus.publish({ kind: 'group', id: '*' });
      await this.bus.publish({ kind: 'api-key', id: '*' });
      await this.bus.publish({ kind: 'user', id: '*' });
      // Credentials and upstream grants came back too: open upstream connections are refilled.
      await this.bus.publish({ kind: 'credential', id: '*' });
      for (const id of new Set((opened.sections['server_tool_pins'] ?? []).map((p) => String(p.server_id)))) await this.bus.publish({ kind: 'tool-pins', id });
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'restore committed, but announcing it to the in-memory views failed');
    }
  }
}

const keyOf = (shape: TableShape, row: Row) => shape.primaryKey.map((c) => String(row[c])).join('/');

function incompatible(why: string, schemaNote: string | null): DomainError {
  return new DomainError(ErrorCode.BAD_INPUT, `archive: cannot be restored into this hub: ${why}${schemaNote ? ` (${schemaNote})` : ''}`, { field: 'archive', reason: 'INCOMPATIBLE' });
}
