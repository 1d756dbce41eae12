import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupsModule } from '#groups';
import { UsersModule } from '#users';
import { ApiKeyVerifier } from './api-key-verifier.service.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeyOwnersLoader } from './graphql/api-key-owners.loader.js';
import { KeysResolver } from './graphql/keys.resolver.js';
import { UsageResolver } from './graphql/usage.resolver.js';
import { KeysService } from './keys.service.js';
import { QuotaService } from './quota/quota.service.js';
import { UsageBucket } from './usage/usage-bucket.entity.js';
import { UsageMoverModule } from './usage/usage-mover.module.js';
import { UsageRecorder } from './usage/usage.recorder.js';
import { UsageService } from './usage/usage.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, UsageBucket]), UsersModule, GroupsModule, UsageMoverModule],
  providers: [KeysService, ApiKeysRepository, ApiKeyOwnersLoader, KeysResolver, ApiKeyVerifier, QuotaService, UsageRecorder, UsageService, UsageResolver],
  exports: [KeysService, ApiKeyVerifier, QuotaService, UsageRecorder],
})
export class KeysModule {}
