import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '#users';
import { Credential } from './credential.entity.js';
import { CredentialSecrets } from './credential-secrets.js';
import { CredentialsRepository } from './credentials.repository.js';
import { CredentialsService } from './credentials.service.js';
import { CredentialsResolver } from './graphql/credentials.resolver.js';
import { CredentialResolver } from './variables/credential-resolver.js';

/** Credentials and the resolver that fills servers' `${NAME}` references; the API in CredentialsApiModule. */
@Module({
  imports: [TypeOrmModule.forFeature([Credential]), UsersModule],
  providers: [CredentialsRepository, CredentialSecrets, CredentialResolver],
  exports: [CredentialResolver, CredentialsRepository, CredentialSecrets],
})
export class CredentialsModule {}

@Module({
  imports: [CredentialsModule],
  providers: [CredentialsService, CredentialsResolver],
  exports: [CredentialsService],
})
export class CredentialsApiModule {}
