import { Inject, Injectable } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { HUB_CONFIG, JobName, JobProcessor, JobsService, PINO, QueueName, type HubConfig, type JobHandlers, type Logger } from '#core';
import { CreateBackupService } from '../create/create-backup.service.js';
import { BackupRetention } from '../create/backup-retention.service.js';
import { BackupSource } from '../storage/backup-record.entity.js';
import { VerifyBackupService } from '../verify/verify-backup.service.js';

/** Scheduled backups (BACKUP_SCHEDULE) and their verification, with BACKUP_PASSPHRASE (never in job data). */
@Processor(QueueName.BACKUP)
@Injectable()
export class BackupProcessor extends JobProcessor {
  private running = false;
  readonly handlers: JobHandlers = {
    [JobName.BACKUP_RUN]: () => this.run(),
    [JobName.BACKUP_VERIFY]: (data: { backupId: string }) => this.verifyScheduled(data.backupId),
  };

  constructor(
    private readonly create: CreateBackupService,
    private readonly verify: VerifyBackupService,
    private readonly retention: BackupRetention,
    private readonly jobs: JobsService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    super();
  }

  private async run(): Promise<void> {
    const passphrase = this.config.backup.passphrase;
    if (!passphrase) return;
    // A run still going when the next is due (a big hub, a tight schedule): the next one is skipped, not stacked.
    if (this.running) {
      this.logger.warn('scheduled backup skipped: the previous one is still running');
      return;
    }
    this.running = true;
    try {
      await this.backUp(passphrase);
    } finally {
      this.running = false;
    }
  }

  private async backUp(passphrase: string): Promise<void> {
    const record = await this.create.create(passphrase, BackupSource.SCHEDULED, null);
    this.logger.info({ backupId: record.id, file: record.fileName, bytes: record.sizeBytes }, 'scheduled backup written');
    await this.jobs.enqueue(JobName.BACKUP_VERIFY, { backupId: record.id });
    await this.retention.apply();
  }

  private async verifyScheduled(backupId: string): Promise<void> {
    const passphrase = this.config.backup.passphrase;
    if (!passphrase) return;
    const record = await this.verify.verify(backupId, passphrase, null);
    if (!record.verifyOk) this.logger.error({ backupId, reason: record.verifyMessage }, 'backup failed verification');
  }
}
