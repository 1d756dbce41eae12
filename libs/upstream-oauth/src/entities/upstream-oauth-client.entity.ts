import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer } from '#servers';

/**
 * The client the hub registered for itself (RFC 7591) with a server's authorization server, reused by everybody
 * who authorizes that server. `clientSecret` is sealed (context `upstream-oauth-client:<id>:secret`).
 */
@Entity('upstream_oauth_clients')
@Index('upstream_oauth_clients_place', ['serverId', 'issuer', 'redirectUri'], { unique: true })
@Audited({ name: 'UpstreamOAuthClient', secrets: ['clientSecret'] })
export class UpstreamOAuthClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id', foreignKeyConstraintName: 'FK_upstream_oauth_clients_server' })
  server?: Relation<McpServer>;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'client_secret', type: 'text', nullable: true })
  clientSecret!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
