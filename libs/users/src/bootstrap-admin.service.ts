import { Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { Role } from './user.entity.js';
import { UsersModule } from './users.module.js';
import { UsersService } from './users.service.js';

/** First start of the hub: create the admin from ADMIN_EMAIL/ADMIN_PASSWORD, or generate a password and print it once. */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const { email, password } = this.config.bootstrapAdmin;
    const generated = password ? undefined : randomBytes(18).toString('base64url');
    try {
      // A configured ADMIN_PASSWORD was chosen by the operator; a generated one was printed to a console.
      await this.users.create({ email, password: password ?? generated!, role: Role.ADMIN }, { passwordChangeRequired: !password });
    } catch (error) {
      // Another hub replica won the race; its admin stands.
      if (error instanceof DomainError && error.code === ErrorCode.CONFLICT) return;
      throw error;
    }
    if (generated) {
      // Deliberately outside the structured logger's redaction: this is the one time the password is shown.
      process.stdout.write(
        `\n  First start: created admin ${email} with password ${generated}\n  Sign in at ${this.config.http.publicUrl}/ and choose your own password.\n\n`,
      );
    }
    this.logger.info({ email }, 'bootstrap admin created');
  }
}

/** Imported by the hub only (it owns the schema and the first start); workers never create accounts. */
@Module({ imports: [UsersModule], providers: [BootstrapAdmin] })
export class BootstrapAdminModule {}
