import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { InstallationState, ServerInstallation } from './server-installation.entity.js';

export type InstallationPatch = Partial<Pick<ServerInstallation, 'state' | 'progress' | 'fetched' | 'error'>>;

/** A pre-fetch waiting for its job: at install, on a retry, and when a stopping job hands it back. */
export const NOT_STARTED: InstallationPatch = { state: InstallationState.QUEUED, progress: 0, fetched: 0, error: null };

/** Every query on server_installations. */
@Injectable()
export class ServerInstallationsRepository {
  constructor(@InjectRepository(ServerInstallation) private readonly installations: Repository<ServerInstallation>) {}

  /** In the install's transaction: the row exists as soon as the server does. */
  insertWithin(manager: EntityManager, serverId: string, packageSpec: string): Promise<ServerInstallation> {
    const repo = manager.getRepository(ServerInstallation);
    return repo.save(repo.create({ serverId, packageSpec, ...NOT_STARTED }));
  }

  findOne(serverId: string): Promise<ServerInstallation | null> {
    return this.installations.findOneBy({ serverId });
  }

  findByServerIds(ids: readonly string[]): Promise<ServerInstallation[]> {
    return ids.length ? this.installations.createQueryBuilder('i').where('i.server_id IN (:...ids)', { ids }).getMany() : Promise.resolve([]);
  }

  /** Pre-fetches not finished: queued or under way. Oldest first. */
  unfinished(limit: number): Promise<Pick<ServerInstallation, 'serverId'>[]> {
    return this.installations.find({
      select: { serverId: true },
      where: { state: In([InstallationState.QUEUED, InstallationState.RESOLVING, InstallationState.DOWNLOADING]) },
      order: { createdAt: 'ASC', serverId: 'ASC' },
      take: limit,
    });
  }

  async update(serverId: string, patch: InstallationPatch): Promise<void> {
    await this.installations.update({ serverId }, patch);
  }

  /**
   * FAILED → queued again, in one statement: false when the row was not FAILED. In a transaction, so the mutation's
   * audit entry commits with it.
   */
  async requeueFailed(serverId: string): Promise<boolean> {
    const queued = await this.installations.manager.transaction((manager) =>
      manager.getRepository(ServerInstallation).update({ serverId, state: InstallationState.FAILED }, NOT_STARTED),
    );
    return !!queued.affected;
  }
}
