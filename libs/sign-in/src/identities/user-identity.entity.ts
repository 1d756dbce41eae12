import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { User } from '#users';
import { SignInProvider } from '../sign-in-provider.js';

/** A GitHub or Azure AD account linked to a hub user: signing in with it signs in as that user. */
@Entity('user_identities')
@Unique('UQ_user_identities_provider_subject', ['provider', 'subject'])
export class UserIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: SignInProvider, enumName: 'sign_in_provider' })
  provider!: SignInProvider;

  /** The provider's stable id for the account (GitHub user id, Azure AD `sub`). */
  @Column({ type: 'text' })
  subject!: string;

  /** The email the provider reported at the last sign-in; informational. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
