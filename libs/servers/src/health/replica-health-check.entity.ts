import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum HealthStatus {
  HEALTHY = 'HEALTHY',
  DEGRADED = 'DEGRADED',
  DOWN = 'DOWN',
}

/** One health check of one replica: the status history. The newest row per replica is its current status. */
@Entity('server_health_checks')
@Index(['replicaId', 'checkedAt'])
export class ReplicaHealthCheck {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  /** The server's id for its primary replica. No foreign key: history outlives a removed replica. */
  @Column({ name: 'replica_id', type: 'uuid' })
  replicaId!: string;

  @Column({ type: 'enum', enum: HealthStatus, enumName: 'health_status' })
  status!: HealthStatus;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Not a failure, but worth knowing: e.g. the server is up and asks each person to authorize it (OAuth). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz', default: () => 'now()' })
  checkedAt!: Date;
}
