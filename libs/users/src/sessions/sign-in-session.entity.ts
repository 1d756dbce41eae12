import { Audited } from '#auth';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { AuthMethod, User } from '../user.entity.js';

/**
 * One sign-in of a person on one device: what their refresh token belongs to. Access tokens carry its id (`sid`),
 * so revoking the row ends both the refresh token and every access token issued for it.
 */
@Audited({ omit: true })
@Entity('sign_in_sessions')
export class SignInSession {
  /** Chosen by the hub before the insert: the first refresh token is bound to it. */
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ name: 'auth_method', type: 'enum', enum: AuthMethod, enumName: 'sign_in_method' })
  method!: AuthMethod;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Sign-in or the last token refresh. */
  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt!: Date;

  /** Moves forward on every refresh (sliding, like the refresh token's own expiry). */
  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** SHA-256 of the one refresh token that is valid now; the token itself is never stored. */
  @Column({ name: 'refresh_token_hash', type: 'bytea', select: false })
  refreshTokenHash!: Buffer;
}
