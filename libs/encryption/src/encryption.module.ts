import { Module } from '@nestjs/common';
import { KeyringModule } from '#core';
import { EncryptionKeysService } from './encryption-keys.service.js';
import { EncryptionKeysResolver } from './graphql/encryption-keys.resolver.js';

/** The admin API of encryption keys (apps/hub); the keyring itself is core's KeyringModule. */
@Module({ imports: [KeyringModule], providers: [EncryptionKeysService, EncryptionKeysResolver] })
export class EncryptionModule {}
