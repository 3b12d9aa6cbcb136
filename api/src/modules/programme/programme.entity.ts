import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

export const COMPANY_SIZES = ['1-49', '50-249', '250-999', '1000+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const TIMELINES = ['3m', '6m', '12m', 'later'] as const;
export type Timeline = (typeof TIMELINES)[number];
/** What an enterprise may ask the 千百双扶 programme for. */
export const NEEDS = ['assessment', 'tooling', 'training', 'onsite', 'compatibility', 'support'] as const;
export type Need = (typeof NEEDS)[number];
export const APPLICATION_STATUSES = ['submitted', 'in_review', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * An enterprise's application to the 千百双扶 migration programme (help for small and medium
 * companies leaving CentOS). Personal data: only the applicant and the reviewers see it, and the
 * retention job erases it a configured time after the decision.
 */
@Entity('programme_applications')
@Check('ck_programme_applications_status', `status IN ('submitted', 'in_review', 'accepted', 'declined', 'withdrawn')`)
@Check('ck_programme_applications_size', `company_size IN ('1-49', '50-249', '250-999', '1000+')`)
@Check('ck_programme_applications_timeline', `timeline IN ('3m', '6m', '12m', 'later')`)
@Check('ck_programme_applications_servers', `server_count >= 0`)
@Index('ix_programme_applications_applicant', ['applicantId'])
@Index('ix_programme_applications_status', ['status', 'id'])
export class ProgrammeApplicationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'applicant_id', type: 'integer', nullable: true })
  applicantId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'applicant_id' })
  applicant?: UserEntity | null;

  @Column({ type: 'varchar', length: 200 })
  company: string;

  @Column({ name: 'company_size', type: 'varchar', length: 16 })
  companySize: CompanySize;

  @Column({ type: 'varchar', length: 100 })
  industry: string;

  /** e.g. "CentOS 7.9, CentOS 8.5" */
  @Column({ name: 'current_os', type: 'varchar', length: 300 })
  currentOs: string;

  @Column({ name: 'server_count', type: 'integer' })
  serverCount: number;

  @Column({ type: 'varchar', length: 16 })
  timeline: Timeline;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  needs: Need[];

  @Column({ name: 'contact_name', type: 'varchar', length: 100 })
  contactName: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ type: 'text', default: '' })
  message: string;

  @Column({ type: 'varchar', length: 16, default: 'submitted' })
  status: ApplicationStatus;

  @Column({ name: 'decided_by', type: 'integer', nullable: true })
  decidedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A reviewer's note: internal ones only reviewers see; the others are messages to the applicant. */
@Entity('programme_notes')
@Index('ix_programme_notes_application', ['applicationId', 'id'])
export class ProgrammeNoteEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'application_id', type: 'integer' })
  applicationId: number;

  @ManyToOne(() => ProgrammeApplicationEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'application_id' })
  application?: ProgrammeApplicationEntity;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'boolean', default: false })
  internal: boolean;

  /** Status changes are notes too, so the applicant sees the whole story in one list. */
  @Column({ name: 'status_change', type: 'varchar', length: 16, nullable: true })
  statusChange: ApplicationStatus | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
