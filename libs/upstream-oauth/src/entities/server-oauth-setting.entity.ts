import { Check, Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer } from '#servers';

/**
 * A remote server that requires OAuth: each person authorizes it once and their connection carries their own
 * access token. Without `clientId` the hub registers itself with the authorization server (RFC 7591).
 * `clientSecret` is sealed (context `server-oauth:<serverId>:client-secret`).
 */
@Entity('server_oauth_settings')
@Check('server_oauth_settings_secret_needs_id', `"client_secret" IS NULL OR "client_id" IS NOT NULL`)
@Audited({ name: 'ServerOAuthSetting', secrets: ['clientSecret'] })
export class ServerOAuthSetting {
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @OneToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id', foreignKeyConstraintName: 'FK_server_oauth_settings_server' })
  server?: Relation<McpServer>;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ name: 'client_secret', type: 'text', nullable: true })
  clientSecret!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
