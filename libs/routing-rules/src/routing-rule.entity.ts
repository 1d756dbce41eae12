import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Group } from '#groups';
import type { RuleAction, RuleConditions, RuleDefinition } from './rule-definition.js';

/** One rule of a group; the unique index keeps evaluation order unambiguous. */
@Entity('routing_rules')
@Index(['groupId', 'priority'], { unique: true })
export class RoutingRule implements RuleDefinition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<Group>;

  @Column({ type: 'text' })
  name!: string;

  /** Evaluation order, ascending. */
  @Column({ type: 'integer' })
  priority!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Validated by rule-input.schema before every save. */
  @Column({ type: 'jsonb' })
  conditions!: RuleConditions;

  @Column({ type: 'jsonb' })
  action!: RuleAction;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
