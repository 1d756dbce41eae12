import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError, ErrorCode, JobName, JobsService, PINO, badInput, type Logger } from '#core';
import { PrefetchError, prefetchNpmPackage, type PrefetchPhase } from './npm-prefetch.js';
import { InstallationState, ServerInstallation } from './server-installation.entity.js';

const PROGRESS: Record<PrefetchPhase, number> = { RESOLVING: 25, DOWNLOADING: 50 };
/** Progress rows are written at most this often while npm downloads (one write per fetched file would be a lot). */
const WRITE_EVERY_MS = 250;

/** The pre-fetch of installed stdio servers' npm packages: queued with the install, run as a job, read by the API. */
@Injectable()
export class ServerInstallationsService {
  constructor(
    @InjectRepository(ServerInstallation) private readonly installations: Repository<ServerInstallation>,
    private readonly jobs: JobsService,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** In the install's transaction: the row exists as soon as the server does. Call `start` after the commit. */
  recordWithin(manager: EntityManager, serverId: string, packageSpec: string): Promise<ServerInstallation> {
    const repo = manager.getRepository(ServerInstallation);
    return repo.save(repo.create({ serverId, packageSpec, state: InstallationState.QUEUED, progress: 0, fetched: 0, error: null }));
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
    const row = await this.installations.findOneBy({ serverId });
    if (!row) throw badInput('serverId', 'this server was not installed from the catalog with an npm package: there is no pre-fetch to retry');
    // In a transaction: the mutation's audit entry commits with it.
    const queued = await this.installations.manager.transaction((manager) =>
      manager.getRepository(ServerInstallation).update({ serverId, state: InstallationState.FAILED }, { state: InstallationState.QUEUED, progress: 0, fetched: 0, error: null }),
    );
    if (!queued.affected) {
      throw new DomainError(ErrorCode.CONFLICT, `serverId: the pre-fetch of ${row.packageSpec} is ${row.state}, not FAILED: only a failed pre-fetch can be retried`, { field: 'serverId' });
    }
    await this.start(serverId);
    return (await this.installations.findOneBy({ serverId }))!;
  }

  findByServerIds(ids: readonly string[]): Promise<ServerInstallation[]> {
    return ids.length ? this.installations.createQueryBuilder('i').where('i.server_id IN (:...ids)', { ids }).getMany() : Promise.resolve([]);
  }

  /** The job: never throws for npm's failures, which are the outcome recorded on the row. */
  async prefetch(serverId: string): Promise<void> {
    const row = await this.installations.findOneBy({ serverId });
    if (!row || row.state === InstallationState.READY) return;
    let last = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const write = (patch: Partial<ServerInstallation>) => (writing = writing.then(() => this.installations.update({ serverId }, patch)).catch(() => undefined));
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
      });
      await writing;
      // The last counts may have been skipped by the throttle.
      await this.installations.update({ serverId }, { state: InstallationState.READY, progress: 100, fetched: total, error: null });
    } catch (error) {
      await writing;
      const message = error instanceof PrefetchError ? error.message : `the pre-fetch failed: ${(error as Error).message}`;
      this.logger.warn({ serverId, packageSpec: row.packageSpec, err: message }, 'npm package pre-fetch failed');
      await this.installations.update({ serverId }, { state: InstallationState.FAILED, fetched: total, error: message });
    }
  }
}
