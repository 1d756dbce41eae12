import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HUB_CONFIG, JobName, JobsService, ScheduleReconciler, type HubConfig } from '#core';

export const BACKUP_SCHEDULER_ID = 'backup:scheduled';

/** BACKUP_SCHEDULE as a cron job scheduler with a stable id; without it, a schedule left from before is removed. */
@Injectable()
export class BackupSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async onApplicationBootstrap() {
    const pattern = this.config.backup.schedule;
    const schedule = () => (pattern ? this.jobs.scheduleCron(BACKUP_SCHEDULER_ID, JobName.BACKUP_RUN, pattern) : this.jobs.unschedule(BACKUP_SCHEDULER_ID, JobName.BACKUP_RUN));
    this.reconciler.register('backup-schedule', schedule);
    await schedule();
  }
}
