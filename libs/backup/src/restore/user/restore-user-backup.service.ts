import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, ConfigChangeBus, DomainError, ErrorCode, PINO, type Logger } from '#core';
import type { Actor } from '#auth';
import { CredentialsService } from '#credentials';
import type { OpenedBackup } from '../../archive/archive-reader.js';
import { TableRowsRepository } from '../../snapshot/table-rows.repository.js';
import type { BackupRecord } from '../../storage/backup-record.entity.js';
import { BackupRecordsRepository } from '../../storage/backup-records.repository.js';
import { USER_BACKED_UP_TABLES } from '../../user-scope/user-backed-up-tables.js';
import { schemaDifference, type ConflictStrategy, type RestoreReport } from '../restore-report.js';
import { upgradeSections } from '../upgrade-sections.js';
import { PlanUserRestore } from './plan-user-restore.service.js';
import type { UserRestorePlan } from './user-restore-plan.js';

/**
 * Restores a USER archive into the restorer's own account (whoever's account, on whichever hub, wrote it): planned
 * item by item through the domain checks, then written in one transaction. A refused item is reported and left
 * out; any failure while writing leaves everything as it was.
 */
@Injectable()
export class RestoreUserBackupService {
  constructor(
    private readonly planner: PlanUserRestore,
    private readonly rows: TableRowsRepository,
    private readonly records: BackupRecordsRepository,
    private readonly credentials: CredentialsService,
    private readonly bus: ConfigChangeBus,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async restore(viewer: Actor, opened: OpenedBackup, strategy: ConflictStrategy, dryRun: boolean): Promise<RestoreReport> {
    const hubSchema = await this.rows.lastMigration();
    const schemaNote = schemaDifference(opened.manifest.schema, hubSchema);
    const known = new Set(USER_BACKED_UP_TABLES.map((t) => t.table));
    // A personal archive from before the endpoints split (transport on mcp_servers, server_replicas) in today's shape.
    const sections = upgradeSections(opened.sections);
    const unknown = Object.keys(sections).find((t) => !known.has(t));
    if (unknown) throw incompatible(`it holds table "${unknown}", which a personal backup does not`, schemaNote);
    const plan = await this.planner.plan(viewer, { ...opened, sections }, strategy, dryRun, schemaNote);
    const report = plan.report.build();
    if (dryRun) return report;
    await this.write(plan, opened.record, strategy, report);
    await this.announce(plan);
    return report;
  }

  private async write(plan: UserRestorePlan, record: BackupRecord, strategy: ConflictStrategy, report: RestoreReport): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        await plan.apply(manager);
        // In the same transaction: the mutation's audit entry commits with the rows.
        record.restoredAt = new Date(this.clock.now());
        record.lastRestore = { at: record.restoredAt.toISOString(), strategy, created: report.created, changed: report.changed, skipped: report.skipped, unchanged: report.unchanged };
        await this.records.save(manager, record);
      });
    } catch (error) {
      const driver = (error as { driverError?: { code?: string; detail?: string } }).driverError;
      // Someone took a slug or name between the plan and the write (or the archive repeats one): nothing was written.
      if (driver?.code === '23505') {
        throw new DomainError(ErrorCode.CONFLICT, `archive: a restored row breaks a uniqueness rule (${driver.detail ?? 'a unique value'}): taken meanwhile, or repeated in the archive; nothing was restored (a dry run shows what would be done)`, { field: 'archive' });
      }
      throw error;
    }
  }

  private async announce(plan: UserRestorePlan): Promise<void> {
    try {
      for (const id of plan.servers) await this.bus.publish({ kind: 'server', id });
      for (const id of plan.groups) await this.bus.publish({ kind: 'group', id });
      for (const id of plan.ruleGroups) await this.bus.publish({ kind: 'routing-rule', id });
      await this.credentials.announce(plan.credentials);
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'restore committed, but announcing it to the in-memory views failed');
    }
  }
}

function incompatible(why: string, schemaNote: string | null): DomainError {
  return new DomainError(ErrorCode.BAD_INPUT, `archive: cannot be restored into this hub: ${why}${schemaNote ? ` (${schemaNote})` : ''}`, { field: 'archive', reason: 'INCOMPATIBLE' });
}
