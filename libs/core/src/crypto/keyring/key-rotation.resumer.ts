import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { JobName, KEY_ROTATION_RETRY } from '../../jobs/job-names.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { PINO } from '../../logging/logging.module.js';
import { EncryptionKeysRepository } from './encryption-keys.repository.js';

/** A process that runs jobs picks up a rotation left RUNNING by a crash or a shutdown (running it twice is harmless). */
@Injectable()
export class KeyRotationResumer implements OnApplicationBootstrap {
  constructor(
    private readonly keys: EncryptionKeysRepository,
    private readonly jobs: JobsService,
    @Optional() @Inject(PINO) private readonly logger?: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const rotation of await this.keys.running()) {
      this.logger?.info({ rotationId: rotation.id, keyId: rotation.keyId, done: rotation.done, total: rotation.total }, 'resuming key rotation');
      await this.jobs.enqueue(JobName.KEY_ROTATION, { rotationId: rotation.id }, { retry: KEY_ROTATION_RETRY });
    }
  }
}
