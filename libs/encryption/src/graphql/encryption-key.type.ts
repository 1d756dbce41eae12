import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EncryptionKeyState, KeyRotationState } from '#core';
import { EncryptionKeyKind } from '../encryption-key-view.js';

registerEnumType(EncryptionKeyKind, { name: 'EncryptionKeyKind' });
registerEnumType(EncryptionKeyState, { name: 'EncryptionKeyState' });
registerEnumType(KeyRotationState, { name: 'KeyRotationState' });

@ObjectType('SealedColumnCount')
export class SealedColumnCountType {
  @Field(() => String, { description: '`table.column`' }) column!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('EncryptionKey', { description: 'A key id and what it seals; key material is never shown' })
export class EncryptionKeyType {
  @Field(() => ID, { description: 'The id ciphertexts name (`v1.<id>.…`)' }) id!: string;
  @Field(() => EncryptionKeyKind) kind!: EncryptionKeyKind;
  @Field(() => EncryptionKeyState, { nullable: true, description: 'Master keys: CURRENT is HUB_ENCRYPTION_KEY, PREVIOUS one of HUB_ENCRYPTION_PREVIOUS_KEYS' })
  state!: EncryptionKeyState | null;
  @Field(() => Boolean, { description: 'New values are sealed with this key' }) sealsNewValues!: boolean;
  @Field(() => Date, { nullable: true }) createdAt!: Date | null;
  @Field(() => Date, { nullable: true }) activatedAt!: Date | null;
  @Field(() => Date, { nullable: true }) retiredAt!: Date | null;
  @Field(() => Int, { description: 'Stored values sealed with this key' }) ciphertexts!: number;
  @Field(() => [SealedColumnCountType]) ciphertextsByColumn!: SealedColumnCountType[];
}

@ObjectType('KeyRotation', { description: 'Progress of a rotateEncryptionKey run' })
export class KeyRotationType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The data key everything is re-sealed under' }) keyId!: string;
  @Field(() => KeyRotationState) state!: KeyRotationState;
  @Field(() => Int, { description: 'Ciphertexts to re-seal when it started' }) total!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int, { description: 'Ciphertexts that could not be opened in the last pass' }) errors!: number;
  @Field(() => String, { nullable: true, description: 'Which row and column, never a value' }) lastError!: string | null;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
