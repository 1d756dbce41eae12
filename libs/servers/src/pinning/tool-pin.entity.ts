import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer } from '../mcp-server.entity.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The approved definition of one tool of one server (trust on first use: the first one the gateway saw), and the
 * definition it drifted to while that waits for approval. Kept when the tool disappears: one that comes back
 * unchanged is not a change.
 */
@Entity('server_tool_pins')
@Audited({ name: 'ToolPin' })
export class ToolPin {
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id' })
  server?: Relation<McpServer>;

  /** The upstream's own name for the tool. */
  @PrimaryColumn({ name: 'tool_name', type: 'text' })
  toolName!: string;

  @Column({ name: 'approved_hash', type: 'text' })
  approvedHash!: string;

  @Column({ name: 'approved_definition', type: 'jsonb' })
  approvedDefinition!: ToolDefinition;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;

  /** Null: pinned on first use, nobody approved it by hand. */
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy!: string | null;

  /** The definition the server now offers when it differs from the approved one; null when none is pending. */
  @Column({ name: 'pending_hash', type: 'text', nullable: true })
  pendingHash!: string | null;

  @Column({ name: 'pending_definition', type: 'jsonb', nullable: true })
  pendingDefinition!: ToolDefinition | null;

  @Column({ name: 'detected_at', type: 'timestamptz', nullable: true })
  detectedAt!: Date | null;
}
