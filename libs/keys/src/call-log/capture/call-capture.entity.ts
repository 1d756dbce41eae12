import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export enum CaptureTarget {
  KEY = 'KEY',
  GROUP = 'GROUP',
}

/** A DEBUG capture switched on for one key or group until `expiresAt`: arguments and results go into the call log. */
@Entity('call_captures')
@Unique('UQ_call_captures_target', ['targetKind', 'targetId'])
export class CallCapture {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: CaptureTarget;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId!: string;

  /** Who switched it on (no foreign key: the row ends with its expiry anyway). */
  @Column({ name: 'enabled_by', type: 'uuid' })
  enabledBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
