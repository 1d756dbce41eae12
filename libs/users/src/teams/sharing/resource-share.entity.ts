import { AccessLevel } from '#auth';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Team } from '../team.entity.js';

/** What can be shared with a team. */
export enum ShareableType {
  SERVER = 'SERVER',
  GROUP = 'GROUP',
}

/**
 * A server or group shared with a team at an access level (one row per thing and team). The thing's own table is
 * not referenced (one table for two kinds): the services that delete a server or group delete its shares with it.
 */
@Entity('resource_shares')
@Index(['teamId'])
export class ResourceShare {
  @PrimaryColumn({ name: 'resource_type', type: 'enum', enum: ShareableType, enumName: 'shareable_type' })
  resourceType!: ShareableType;

  @PrimaryColumn({ name: 'resource_id', type: 'uuid' })
  resourceId!: string;

  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @Column({ type: 'enum', enum: AccessLevel, enumName: 'access_level' })
  level!: AccessLevel;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: Relation<Team>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
