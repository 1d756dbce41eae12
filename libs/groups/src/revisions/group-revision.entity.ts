import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { Group } from '../group.entity.js';
import type { GroupSnapshot } from './group-snapshot.js';

/** One numbered state of a group's configuration; written in the same transaction as the change it records. */
@Entity('group_revisions')
// The revision repeats what the change's own rows say (and the group's whole state): not listed in audit entries.
@Audited({ omit: true })
// Also the index for "revisions of a group": group_id leads.
@Unique(['groupId', 'revision'])
export class GroupRevision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<Group>;

  /** 1, 2, 3 … per group. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'jsonb' })
  snapshot!: GroupSnapshot;

  /** The operation, e.g. `updateGroup`, `addServerToGroup everything`, `rollbackGroup to 3`. */
  @Column({ type: 'text' })
  reason!: string;

  /** Who made the change; no foreign key, so the history outlives the account. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
