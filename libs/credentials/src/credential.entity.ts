import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { Team, User } from '#users';

/** Whose value it is: looked up in this order when a `${NAME}` is resolved for a user. */
export enum CredentialScope {
  USER = 'USER',
  TEAM = 'TEAM',
  HUB = 'HUB',
}

/**
 * A named value servers refer to as `${NAME}` (in args, env, URL, headers). `value` is sealed with SecretBox
 * (context `credential:<id>:<name>`) and never leaves the hub except towards the upstream it is meant for.
 */
@Entity('credentials')
@Index('credentials_user_name', ['userId', 'name'], { unique: true, where: `"scope" = 'USER'` })
@Index('credentials_team_name', ['teamId', 'name'], { unique: true, where: `"scope" = 'TEAM'` })
@Index('credentials_hub_name', ['name'], { unique: true, where: `"scope" = 'HUB'` })
@Audited({ name: 'Credential', secrets: ['value'] })
export class Credential {
  /** Generated in code: the value is sealed with the id as context before the insert. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: CredentialScope, enumName: 'credential_scope' })
  scope!: CredentialScope;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Index('IDX_credentials_team_id')
  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId!: string | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: Relation<Team>;

  @Column({ type: 'text' })
  value!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
