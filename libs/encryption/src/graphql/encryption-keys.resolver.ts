import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { EncryptionKeysService } from '../encryption-keys.service.js';
import { EncryptionKeyType, KeyRotationType } from './encryption-key.type.js';

@Resolver(() => EncryptionKeyType)
export class EncryptionKeysResolver {
  constructor(private readonly service: EncryptionKeysService) {}

  @Authorize(Permission.ENCRYPTION_READ)
  @Query(() => [EncryptionKeyType], { description: 'Admins and auditors: the data keys (newest first), the master keys, and key ids no one knows' })
  encryptionKeys() {
    return this.service.list();
  }

  @Authorize(Permission.ENCRYPTION_READ)
  @Query(() => KeyRotationType, { nullable: true, description: 'Admins and auditors: the latest key rotation and its progress' })
  keyRotation() {
    return this.service.latestRotation();
  }

  @Authorize(Permission.ENCRYPTION_MANAGE)
  @Mutation(() => KeyRotationType, { description: 'Admins: makes a new data key and re-seals every stored secret under it, online' })
  rotateEncryptionKey(@CurrentActor() actor: Actor) {
    return this.service.rotate(actor);
  }

  @Authorize(Permission.ENCRYPTION_MANAGE)
  @Mutation(() => EncryptionKeyType, { description: 'Admins: deletes an old data key for good; refused while any stored secret still uses it' })
  async retireEncryptionKey(@Args('id', { type: () => ID }) id: string) {
    await this.service.retire(id);
    return (await this.service.list()).find((k) => k.id === id)!;
  }
}
