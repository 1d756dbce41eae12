import { Audited } from '#auth';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '#users';
import { SignInProvider } from '../sign-in-provider.js';

export enum CodePurpose {
  /** Handed to the dashboard after a callback; exchanged once for the hub's tokens. */
  SIGN_IN = 'SIGN_IN',
  /** Returned by linkProvider; opens /auth/<provider>?link=<code> for the signed-in user who asked. */
  LINK_START = 'LINK_START',
  /** Handed to the dashboard after a link callback; the same signed-in user confirms it. */
  LINK_COMPLETE = 'LINK_COMPLETE',
}

/** What a LINK_COMPLETE code adds to the account once confirmed. */
export interface PendingIdentity {
  subject: string;
  email: string | null;
}

/** Short-lived, single-use random codes, stored only as hashes. */
@Audited({ omit: true })
@Entity('sign_in_codes')
export class SignInCode {
  /** SHA-256 (hex) of the code. */
  @PrimaryColumn({ name: 'code_hash', type: 'text' })
  codeHash!: string;

  @Column({ type: 'text' })
  purpose!: CodePurpose;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: SignInProvider, enumName: 'sign_in_provider' })
  provider!: SignInProvider;

  @Column({ type: 'jsonb', nullable: true })
  identity!: PendingIdentity | null;

  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
