import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { McpServer } from '#servers';
import { Group } from './group.entity.js';

/** Membership of a server in a group; `position` orders the group's servers (and wins tool-name ties). */
@Entity('group_servers')
export class GroupServer {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @Index()
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<Group>;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id' })
  server?: Relation<McpServer>;

  @Column({ type: 'integer' })
  position!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
