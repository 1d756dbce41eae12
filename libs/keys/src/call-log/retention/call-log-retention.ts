import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock, HUB_CONFIG, PINO, type HubConfig } from '#core';
import { CallLogRepository } from '../call-log.repository.js';

/** Rows one DELETE removes: short statements, so the table is never locked for long. */
export const RETENTION_BATCH_ROWS = 5_000;
/** Batches one run deletes at most; a larger backlog continues at the next run. */
export const RETENTION_MAX_BATCHES = 200;

export interface RetentionResult {
  entries: number;
  captures: number;
}

/** Deletes call-log entries older than CALL_LOG_RETENTION_DAYS, in bounded batches, and captures that have ended. */
@Injectable()
export class CallLogRetention {
  constructor(
    private readonly repository: CallLogRepository,
    private readonly clock: Clock,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async run(batchRows = RETENTION_BATCH_ROWS, maxBatches = RETENTION_MAX_BATCHES): Promise<RetentionResult> {
    const now = this.clock.now();
    const cutoff = new Date(now - this.config.callLog.retentionDays * 86_400_000);
    let entries = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const deleted = await this.repository.deleteOlderThan(cutoff, batchRows);
      entries += deleted;
      if (deleted < batchRows) break;
    }
    const captures = await this.repository.deleteExpiredCaptures(new Date(now));
    if (entries) this.logger.info({ entries, cutoff }, 'call-log entries past retention deleted');
    return { entries, captures };
  }
}
