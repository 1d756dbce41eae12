import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Calls per key, server, tool and hour. Written in batches by UsageRecorder; never per call. */
@Entity('usage_hourly')
@Index(['keyId', 'hour'])
export class UsageBucket {
  @PrimaryColumn({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  /** No foreign key: usage history outlives a removed server. */
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @PrimaryColumn({ type: 'text' })
  tool!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  hour!: Date;

  @Column({ name: 'server_slug', type: 'text' })
  serverSlug!: string;

  @Column({ type: 'integer', default: 0 })
  calls!: number;

  @Column({ type: 'integer', default: 0 })
  errors!: number;

  @Column({ name: 'total_latency_ms', type: 'double precision', default: 0 })
  totalLatencyMs!: number;

  @Column({ name: 'max_latency_ms', type: 'double precision', default: 0 })
  maxLatencyMs!: number;
}
