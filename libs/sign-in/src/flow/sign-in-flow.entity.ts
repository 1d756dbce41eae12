import { Audited } from '#auth';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '#users';
import { SignInProvider } from '../sign-in-provider.js';

export enum FlowIntent {
  SIGN_IN = 'SIGN_IN',
  /** Started by a signed-in user to add this provider to their account. */
  LINK = 'LINK',
}

/** A started authorization (state, PKCE verifier, nonce) waiting for the provider's callback; single use. */
@Audited({ omit: true })
@Entity('sign_in_flows')
export class SignInFlow {
  /** SHA-256 (hex) of the `state` parameter; the state itself travels only in URLs. */
  @PrimaryColumn({ name: 'state_hash', type: 'text' })
  stateHash!: string;

  @Column({ type: 'enum', enum: SignInProvider, enumName: 'sign_in_provider' })
  provider!: SignInProvider;

  @Column({ type: 'text' })
  intent!: FlowIntent;

  /** Set for LINK flows: the account the identity is added to. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** SHA-256 of the browser-binding cookie: the callback must come back to the browser that started the flow. */
  @Column({ name: 'binding_hash', type: 'text' })
  bindingHash!: string;

  /** Sealed JSON {codeVerifier, nonce}. */
  @Column({ type: 'text' })
  secrets!: string;

  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
