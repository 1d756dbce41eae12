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
import { User, type ResourceShare } from '#users';
import { ToolNaming } from './naming/tool-naming.js';

export enum ToolFilterMode {
  /** Every tool of every member server. */
  NONE = 'NONE',
  /** Only the tools listed. */
  ALLOW = 'ALLOW',
  /** Every tool except those listed. */
  DENY = 'DENY',
}

/** What the group does when a member server's tool definition changes after it was approved (tool pinning). */
export enum ToolPinningMode {
  /** Ignore changes. */
  OFF = 'OFF',
  /** Keep the tool visible and report the change to the server's owner. */
  WARN = 'WARN',
  /** Withhold the tool (not listed, calls refused) until the server's owner approves the change; report it too. */
  ENFORCE = 'ENFORCE',
}

@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Part of the group's endpoint URLs (/mcp/<slug>, /sse/<slug>). */
  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Index()
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<User>;

  /** Groups created before naming modes were PREFIX_ALWAYS (the migration keeps them so). */
  @Column({ name: 'tool_naming', type: 'enum', enum: ToolNaming, enumName: 'tool_naming', default: ToolNaming.PREFIX_WHEN_NEEDED })
  toolNaming!: ToolNaming;

  @Column({ name: 'tool_filter_mode', type: 'enum', enum: ToolFilterMode, enumName: 'tool_filter_mode', default: ToolFilterMode.NONE })
  toolFilterMode!: ToolFilterMode;

  /** Tool names as agents see them; an entry also matches the tool's `<serverSlug>__<tool>` and own name (see filterExposes). */
  @Column({ name: 'tool_filter', type: 'text', array: true, default: () => "'{}'" })
  toolFilter!: string[];

  @Column({ name: 'tool_pinning', type: 'enum', enum: ToolPinningMode, enumName: 'tool_pinning_mode', default: ToolPinningMode.WARN })
  toolPinning!: ToolPinningMode;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Not a column: loaded with the row where the access policy decides about it (ResourceSharesRepository.attach). */
  shares?: ResourceShare[];
}
