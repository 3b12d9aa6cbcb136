import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { GovProposalEntity } from '../governance/governance.entity';
import { UserEntity } from '../users/user.entity';

export const ORGANISATION_STATUSES = ['applied', 'nominated', 'member', 'declined', 'withdrawn'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

/**
 * An organisation that is, or asks to be, a member of the council. It applies (applied), a member
 * organisation's representative nominates it and a council vote is created (nominated), and the
 * vote's outcome makes it a member or declines it. Contact data is personal: only the applicant,
 * council members and admins see it.
 */
@Entity('organisations')
@Check('ck_organisations_status', `status IN ('applied', 'nominated', 'member', 'declined', 'withdrawn')`)
@Check('ck_organisations_member_since', `(status = 'member') = (member_since IS NOT NULL)`)
@Index('uq_organisations_name', ['name'], { unique: true, where: `status IN ('applied', 'nominated', 'member')` })
@Index('ix_organisations_status', ['status', 'id'])
@Index('ix_organisations_proposal', ['proposalId'])
export class OrganisationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 300 })
  website: string;

  /** Markdown: who they are and what they bring to the community. */
  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 100 })
  contactName: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  /** The account that speaks for the organisation (nominates others once it is a member). */
  @Column({ name: 'representative_id', type: 'integer', nullable: true })
  representativeId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'representative_id' })
  representative?: UserEntity | null;

  @Column({ name: 'applicant_id', type: 'integer', nullable: true })
  applicantId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'applicant_id' })
  applicant?: UserEntity | null;

  @Column({ type: 'varchar', length: 16, default: 'applied' })
  status: OrganisationStatus;

  @Column({ name: 'nominated_by', type: 'integer', nullable: true })
  nominatedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'nominated_by' })
  nominator?: UserEntity | null;

  /** The member organisation whose representative nominated this one (null: an admin did). */
  @Column({ name: 'nominating_org_id', type: 'integer', nullable: true })
  nominatingOrgId: number | null;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'nominating_org_id' })
  nominatingOrg?: OrganisationEntity | null;

  @Column({ name: 'nomination_statement', type: 'text', default: '' })
  nominationStatement: string;

  /** The council's membership vote. */
  @Column({ name: 'proposal_id', type: 'integer', nullable: true })
  proposalId: number | null;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity | null;

  @Column({ name: 'member_since', type: 'timestamptz', nullable: true })
  memberSince: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** Why it was declined before a nomination; empty otherwise (a council vote speaks for itself). */
  @Column({ name: 'decline_reason', type: 'text', default: '' })
  declineReason: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
