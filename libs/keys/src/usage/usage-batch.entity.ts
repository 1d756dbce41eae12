import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Batches of Redis usage already added to usage_hourly, written in the same transaction as the rows.
 * A batch moved twice (the mover died between the commit and deleting the batch in Redis) is seen here and skipped.
 */
@Entity('usage_batches')
export class UsageBatch {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'integer' })
  calls!: number;

  @Index()
  @CreateDateColumn({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}
