import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

export const SIG_STATUSES = ['proposed', 'active', 'archived'] as const;
export type SigStatus = (typeof SIG_STATUSES)[number];
export const MEETING_CADENCES = ['weekly', 'biweekly', 'monthly'] as const;
export type MeetingCadence = (typeof MEETING_CADENCES)[number];
/** Lower-case, starts with a letter: it appears in URLs, role names and mailing-list names. */
export const SIG_SLUG = /^[a-z][a-z0-9-]{1,47}$/;

/**
 * A Special Interest Group. The description is Markdown stored as written; the web sanitises it
 * when rendering (the API never returns it as HTML).
 */
@Entity('sigs')
@Check('ck_sigs_slug', `slug ~ '^[a-z][a-z0-9-]{1,47}$'`)
@Check('ck_sigs_status', `status IN ('proposed', 'active', 'archived')`)
@Check('ck_sigs_meeting_cadence', `meeting_cadence IS NULL OR meeting_cadence IN ('weekly', 'biweekly', 'monthly')`)
export class SigEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('uq_sigs_slug', { unique: true })
  @Column({ type: 'varchar', length: 48 })
  slug: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 100 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Index('ix_sigs_status')
  @Column({ type: 'varchar', length: 16, default: 'proposed' })
  status: SigStatus;

  @Column({ name: 'mailing_list', type: 'varchar', length: 254, nullable: true })
  mailingList: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  chat: string | null;

  @Column({ name: 'meeting_cadence', type: 'varchar', length: 16, nullable: true })
  meetingCadence: MeetingCadence | null;

  @Column({ name: 'meeting_url', type: 'varchar', length: 500, nullable: true })
  meetingUrl: string | null;

  @Column({ name: 'toc_liaison_id', type: 'integer', nullable: true })
  tocLiaisonId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'toc_liaison_id' })
  tocLiaison?: UserEntity | null;

  /** Who new bugs routed to this SIG are assigned to; unassigned (triage queue only) when null. */
  @Column({ name: 'bug_default_assignee_id', type: 'integer', nullable: true })
  bugDefaultAssigneeId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'bug_default_assignee_id' })
  bugDefaultAssignee?: UserEntity | null;

  @Column({ name: 'sub_projects', type: 'text', array: true, default: () => "'{}'" })
  subProjects: string[];

  /** Gitee logins that review package changes of this SIG (packages.yaml `reviewers`). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reviewers: string[];

  /** Placeholder until governance exists: where the proposal was discussed or approved. */
  @Column({ name: 'proposal_url', type: 'varchar', length: 500, nullable: true })
  proposalUrl: string | null;

  /** The governance proposal that decides (or decided) this SIG's creation. */
  @Column({ name: 'creation_proposal_id', type: 'integer', nullable: true })
  creationProposalId: number | null;

  /** The governance proposal that archived this SIG. */
  @Column({ name: 'archival_proposal_id', type: 'integer', nullable: true })
  archivalProposalId: number | null;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: UserEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;
}
