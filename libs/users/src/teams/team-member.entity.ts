import { TeamRole } from '#auth';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '../user.entity.js';
import { Team } from './team.entity.js';

/** A person's membership of a team; OWNERs manage the team and its members. */
@Entity('team_members')
export class TeamMember {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  /** Indexed: every signed-in request loads the person's memberships. */
  @Index()
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'enum', enum: TeamRole, enumName: 'team_role', default: TeamRole.MEMBER })
  role!: TeamRole;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: Relation<Team>;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
