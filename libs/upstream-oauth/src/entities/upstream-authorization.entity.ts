import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer } from '#servers';
import { User } from '#users';

/**
 * One person's grant for one server: the tokens their connection to it carries. Both tokens are sealed (context
 * `upstream-authorization:<id>:access|refresh`); where to refresh and revoke them is kept beside them, so a
 * refresh needs no discovery.
 */
@Entity('upstream_authorizations')
@Index('upstream_authorizations_user_server', ['userId', 'serverId'], { unique: true })
@Audited({ name: 'UpstreamAuthorization', secrets: ['accessToken', 'refreshToken'] })
export class UpstreamAuthorization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_upstream_authorizations_user' })
  user?: Relation<User>;

  @Index('IDX_upstream_authorizations_server')
  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id', foreignKeyConstraintName: 'FK_upstream_authorizations_server' })
  server?: Relation<McpServer>;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'token_endpoint', type: 'text' })
  tokenEndpoint!: string;

  @Column({ name: 'revocation_endpoint', type: 'text', nullable: true })
  revocationEndpoint!: string | null;

  /** The client the tokens were issued to (configured, or registered by the hub). */
  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  /** How the client authenticates at the token endpoint: `none`, `client_secret_basic` or `client_secret_post`. */
  @Column({ name: 'client_auth', type: 'text' })
  clientAuth!: string;

  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken!: string | null;

  /** null: the authorization server did not say (the token is used until the upstream refuses it). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** When the current access token was issued: with `expiresAt`, its lifetime (how early to refresh). */
  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  /** The RFC 8707 resource the tokens were requested for (the server's URL). */
  @Column({ type: 'text' })
  resource!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
