import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * PENDING: every hub learns it, nothing is sealed with it yet. CURRENT: seals new values (one at most).
 * PREVIOUS: opens old values until they are re-sealed. RETIRED: its material is gone; the row stays as history.
 */
export enum EncryptionKeyState {
  PENDING = 'PENDING',
  CURRENT = 'CURRENT',
  PREVIOUS = 'PREVIOUS',
  RETIRED = 'RETIRED',
}

/** A data key, wrapped under the master key (HUB_ENCRYPTION_KEY). Its id is what ciphertexts name. */
@Entity('encryption_keys')
export class EncryptionKey {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** `v1.<masterKeyId>.…`: the data key sealed under a master key; null once retired. */
  @Column({ name: 'sealed_key', type: 'text', nullable: true })
  sealedKey!: string | null;

  @Column({ type: 'text' })
  state!: EncryptionKeyState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
