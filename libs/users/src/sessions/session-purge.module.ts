import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobName, JobsService, ScheduleReconciler } from '#core';
import { User } from '../user.entity.js';
import { SignInSession } from './sign-in-session.entity.js';
import { SignInSessionPurger } from './sign-in-session.purger.js';
import { SignInSessionsRepository } from './sign-in-sessions.repository.js';
import { UsersProcessor } from './users.processor.js';

export const SESSION_PURGE_SCHEDULER_ID = 'users:sign-in-session-purge';
export const SESSION_PURGE_EVERY_MS = 60 * 60_000;

@Injectable()
class SessionPurgeSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
  ) {}

  async onApplicationBootstrap() {
    const schedule = () => this.jobs.schedule(SESSION_PURGE_SCHEDULER_ID, JobName.SIGN_IN_SESSION_PURGE, SESSION_PURGE_EVERY_MS);
    // A Redis restarted empty loses the schedule; ended sessions would then pile up.
    this.reconciler.register('sign-in-session-purge', schedule);
    await schedule();
  }
}

/** Processor side (the worker; the hub in embedded mode): deletes ended sign-in sessions on a schedule. */
@Module({
  // User: the session entity's relation needs its metadata in processes that do not load UsersModule.
  imports: [TypeOrmModule.forFeature([SignInSession, User])],
  providers: [SignInSessionsRepository, SignInSessionPurger, UsersProcessor, SessionPurgeSchedule],
})
export class SessionPurgeProcessorsModule {}
