import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An authorization under way (authorization code + PKCE): found by the hash of its `state`, bound to the person who
 * started it, usable once and for a few minutes. `codeVerifier` is sealed (context
 * `upstream-authorization-request:<id>:verifier`). Not audited: `authorizeUpstream` and the callback are.
 */
@Entity('upstream_authorization_requests')
export class UpstreamAuthorizationRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('upstream_authorization_requests_state', { unique: true })
  @Column({ name: 'state_hash', type: 'text' })
  stateHash!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'token_endpoint', type: 'text' })
  tokenEndpoint!: string;

  @Column({ name: 'revocation_endpoint', type: 'text', nullable: true })
  revocationEndpoint!: string | null;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'client_auth', type: 'text' })
  clientAuth!: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  @Column({ type: 'text' })
  resource!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
