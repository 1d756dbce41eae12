import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** People who share access: servers and groups shared with a team reach every member. */
@Entity('teams')
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Names the team in configuration (AZURE_AD_TEAM_MAPPING). */
  @Column({ type: 'text', unique: true })
  slug!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
