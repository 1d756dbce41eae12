import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EncryptionKey } from './encryption-key.entity.js';
import { EncryptionKeyring } from './encryption-keyring.js';
import { EncryptionKeysRepository } from './encryption-keys.repository.js';
import { KeyRotation } from './key-rotation.entity.js';
import { KeyRotationProcessor } from './key-rotation.processor.js';
import { KeyRotationResumer } from './key-rotation.resumer.js';
import { KeyRotationRunner } from './key-rotation.runner.js';
import { SealedCiphertexts } from './sealed-ciphertexts.js';

/** Loads the data keys into SecretBox (every process that opens secrets: the hub and the worker). */
@Module({
  imports: [TypeOrmModule.forFeature([EncryptionKey, KeyRotation])],
  providers: [EncryptionKeysRepository, EncryptionKeyring, SealedCiphertexts],
  exports: [EncryptionKeysRepository, EncryptionKeyring, SealedCiphertexts],
})
export class KeyringModule {}

/** Processor side (worker, or hub in embedded mode): runs rotations and resumes an interrupted one at boot. */
@Module({ imports: [KeyringModule], providers: [KeyRotationRunner, KeyRotationProcessor, KeyRotationResumer] })
export class KeyRotationProcessorsModule {}
