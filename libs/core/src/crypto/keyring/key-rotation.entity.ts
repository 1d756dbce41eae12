import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum KeyRotationState {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  /** Finished, but some ciphertexts could not be opened and still name an older key (see lastError). */
  DONE_WITH_ERRORS = 'DONE_WITH_ERRORS',
}

/** One run of rotateEncryptionKey: re-seals every registered ciphertext under `keyId`; its row is its progress. */
@Entity('key_rotations')
export class KeyRotation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The data key everything is re-sealed under. */
  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ type: 'text' })
  state!: KeyRotationState;

  /** `table.column` of every registered sealed column when the rotation started (the hub's registry). */
  @Column({ type: 'jsonb' })
  columns!: string[];

  /** Ciphertexts that named another key when the rotation started. */
  @Column({ type: 'int' })
  total!: number;

  /** Ciphertexts re-sealed so far. */
  @Column({ type: 'int', default: 0 })
  done!: number;

  /** Ciphertexts that could not be opened in the last pass. */
  @Column({ type: 'int', default: 0 })
  errors!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'started_by', type: 'uuid', nullable: true })
  startedBy!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
