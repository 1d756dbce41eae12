import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, JobName, JobsService, PINO, ShuttingDownError, badInput, type Logger } from '#core';
import { PrefetchError, prefetchNpmPackage, type PrefetchPhase } from './npm-prefetch.js';
import { InstallationState, type ServerInstallation } from './server-installation.entity.js';
import { NOT_STARTED, ServerInstallationsRepository, type InstallationPatch } from './server-installations.repository.js';

const PROGRESS: Record<PrefetchPhase, number> = { RESOLVING: 25, DOWNLOADING: 50 };
/** Progress rows are written at most this often while npm downloads (one write per fetched file would be a lot). */
const WRITE_EVERY_MS = 250;

/** The pre-fetch of installed stdio servers' npm packages: queued with the install, run as a job, read by the API. */
@Injectable()
export class ServerInstallationsService {
  constructor(
    private readonly installations: ServerInstallationsRepository,
    private readonly jobs: JobsService,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** In the install's transaction: the row exists as soon as the server does. Call `start` after the commit. */
  recordWithin(manager: EntityManager, serverId: string, packageSpec: string): Promise<ServerInstallation> {
    return this.installations.insertWithin(manager, serverId, packageSpec);
  }

  async start(serverId: string): Promise<void> {
    // One attempt: a missing package stays missing; the person retries (retry()) once they have fixed the cause.
    await this.jobs.enqueue(JobName.PACKAGE_PREFETCH, { serverId }, { retry: { attempts: 1, backoffMs: 0 } });
  }

  /**
   * Queues a FAILED pre-fetch again (the person fixed the cause: the package was published, the registry is back).
   * Only from FAILED, in one statement: a second click, or a retry racing a running job, changes nothing.
   */
  async retry(serverId: string): Promise<ServerInstallation> {
    const row = await this.installations.findOne(serverId);
    if (!row) throw badInput('serverId', 'this server was not installed from the catalog with an npm package: there is no pre-fetch to retry');
    if (!(await this.installations.requeueFailed(serverId))) {
      throw new DomainError(ErrorCode.CONFLICT, `serverId: the pre-fetch of ${row.packageSpec} is ${row.state}, not FAILED: only a failed pre-fetch can be retried`, { field: 'serverId' });
    }
    await this.start(serverId);
    return (await this.installations.findOne(serverId))!;
  }

  findByServerIds(ids: readonly string[]): Promise<ServerInstallation[]> {
    return this.installations.findByServerIds(ids);
  }

  /** Pre-fetches queued or under way, oldest first: what a hub without a durable queue starts again at boot. */
  unfinished(limit: number): Promise<Pick<ServerInstallation, 'serverId'>[]> {
    return this.installations.unfinished(limit);
  }

  /**
   * The job: never throws for npm's failures, which are the outcome recorded on the row. When the process stops
   * (`stopping`), npm is stopped, the row says QUEUED again, and the ShuttingDownError goes to the job runner, which
   * hands the job back: a shutdown says nothing about the package.
   */
  async prefetch(serverId: string, stopping?: AbortSignal): Promise<void> {
    const row = await this.installations.findOne(serverId);
    if (!row || row.state === InstallationState.READY) return;
    let last = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const write = (patch: InstallationPatch) => (writing = writing.then(() => this.installations.update(serverId, patch)).catch(() => undefined));
    let phase: PrefetchPhase | null = null;
    let total = 0;
    try {
      await prefetchNpmPackage(row.packageSpec, (next, fetched) => {
        total = fetched;
        const now = Date.now();
        if (next === phase && now - last < WRITE_EVERY_MS) return;
        phase = next;
        last = now;
        void write({ state: InstallationState[next], progress: PROGRESS[next], fetched });
      }, { signal: stopping });
      await writing;
      // The last counts may have been skipped by the throttle.
      await this.installations.update(serverId, { state: InstallationState.READY, progress: 100, fetched: total, error: null });
    } catch (error) {
      await writing;
      if (error instanceof ShuttingDownError) {
        // The job is told to stop before the database closes; should the write fail all the same (the database
        // gone), the row keeps its phase, which the start's recovery takes up just the same.
        await this.installations.update(serverId, NOT_STARTED).catch(() => undefined);
        this.logger.info({ serverId, packageSpec: row.packageSpec }, 'npm package pre-fetch stopped by the shutdown: queued again');
        throw error;
      }
      const message = error instanceof PrefetchError ? error.message : `the pre-fetch failed: ${(error as Error).message}`;
      this.logger.warn({ serverId, packageSpec: row.packageSpec, err: message }, 'npm package pre-fetch failed');
      await this.installations.update(serverId, { state: InstallationState.FAILED, fetched: total, error: message });
    }
  }
}
