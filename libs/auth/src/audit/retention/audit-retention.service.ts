import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { AuditLogRepository } from '../audit-log.repository.js';

/** Rows per DELETE: short statements, so the table (and PGlite's one connection) is never held for long. */
export const AUDIT_RETENTION_BATCH = 1_000;
/** A run stops after this many batches; the next run goes on. Bounds one run after a long pause or a lowered limit. */
export const AUDIT_RETENTION_MAX_BATCHES = 100;
const DAY_MS = 86_400_000;

/** Deletes audit entries older than AUDIT_RETENTION_DAYS (0 keeps them forever). */
@Injectable()
export class AuditRetention {
  constructor(
    private readonly entries: AuditLogRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.config.audit.retentionDays > 0;
  }

  /** Returns how many entries were deleted. */
  async purge(now = new Date(), limits = { batch: AUDIT_RETENTION_BATCH, maxBatches: AUDIT_RETENTION_MAX_BATCHES }): Promise<number> {
    if (!this.enabled) return 0;
    const cutoff = new Date(now.getTime() - this.config.audit.retentionDays * DAY_MS);
    let total = 0;
    for (let batch = 0; batch < limits.maxBatches; batch++) {
      const deleted = await this.entries.deleteBefore(cutoff, limits.batch);
      total += deleted;
      if (deleted < limits.batch) break;
    }
    if (total) this.logger.info({ deleted: total, before: cutoff.toISOString() }, 'old audit entries deleted');
    return total;
  }
}
