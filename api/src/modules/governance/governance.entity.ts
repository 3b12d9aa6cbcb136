import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';

/** jsonb documents; `object` keeps TypeORM's deep-partial types finite. */
export type JsonObject = object;

export const BODY_SLUG = /^[a-z][a-z0-9-]{1,31}$/;
export const OFFICES = ['chair', 'vice_chair', 'secretary'] as const;
export type Office = (typeof OFFICES)[number];

export const PROPOSAL_KINDS = [
  'motion',
  'sig_create',
  'sig_archive',
  'charter',
  'policy',
  'election',
  'membership',
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATUSES = ['draft', 'discussion', 'voting', 'closed', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export const OUTCOMES = ['passed', 'failed', 'no_quorum'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const METHODS = ['motion', 'schulze', 'approval', 'plurality'] as const;
export type VoteMethod = (typeof METHODS)[number];
export const BALLOT_MODES = ['roll_call', 'secret'] as const;
export type BallotMode = (typeof BALLOT_MODES)[number];
export const ELECTORATES = ['body', 'sig_maintainers', 'active_contributors'] as const;
export type ElectorateKind = (typeof ELECTORATES)[number];
export const THRESHOLDS = ['simple', 'two_thirds', 'three_to_one'] as const;
export const ABSTENTION_POLICIES = ['count_for_quorum', 'ignore'] as const;

/** The voting rules of a proposal; copied from its body's defaults, frozen when voting opens. */
export interface ProposalRules {
  /** Share of eligible voters who must cast a ballot, in percent. */
  quorumPercent: number;
  threshold: (typeof THRESHOLDS)[number];
  abstentions: (typeof ABSTENTION_POLICIES)[number];
  /** Voting window bounds, in hours. */
  minHours: number;
  maxHours: number;
}

/** A governance body: the TOC, the council, or any body an admin creates (e.g. SIGCC). */
@Entity('gov_bodies')
@Unique('uq_gov_bodies_slug', ['slug'])
@Check('ck_gov_bodies_slug', `slug ~ '^[a-z][a-z0-9-]{1,31}$'`)
@Check('ck_gov_bodies_seats', `max_seats IS NULL OR max_seats > 0`)
@Check('ck_gov_bodies_term', `term_months BETWEEN 1 AND 120`)
export class GovBodyEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 32 })
  slug: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 100 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The TOC has at most 15 seats (charter); null = no limit. */
  @Column({ name: 'max_seats', type: 'integer', nullable: true })
  maxSeats: number | null;

  /** Default length of a member's term (3 years in the charter). */
  @Column({ name: 'term_months', type: 'integer', default: 36 })
  termMonths: number;

  /** Default rules per proposal kind, e.g. `{ "charter": { "threshold": "two_thirds", … } }`. */
  @Column({ name: 'rules', type: 'jsonb', default: () => `'{}'` })
  rules: Partial<Record<ProposalKind, Partial<ProposalRules> & { ballotMode?: BallotMode }>>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One term of one person in a body. Voting rights last from term_start to term_end. */
@Entity('gov_body_members')
@Unique('uq_gov_body_members_term', ['bodyId', 'userId', 'termStart'])
@Check('ck_gov_body_members_office', `office IS NULL OR office IN ('chair', 'vice_chair', 'secretary')`)
@Check('ck_gov_body_members_term', `term_end > term_start`)
@Index('ix_gov_body_members_user', ['userId'])
export class GovBodyMemberEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'body_id', type: 'integer' })
  bodyId: number;

  @ManyToOne(() => GovBodyEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'body_id' })
  body?: GovBodyEntity;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16, nullable: true })
  office: Office | null;

  @Column({ name: 'term_start', type: 'timestamptz' })
  termStart: Date;

  @Column({ name: 'term_end', type: 'timestamptz' })
  termEnd: Date;

  @Column({ name: 'added_by', type: 'integer', nullable: true })
  addedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'added_by' })
  adder?: UserEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('gov_proposals')
@Check(
  'ck_gov_proposals_kind',
  `kind IN ('motion', 'sig_create', 'sig_archive', 'charter', 'policy', 'election', 'membership')`,
)
@Check('ck_gov_proposals_status', `status IN ('draft', 'discussion', 'voting', 'closed', 'withdrawn')`)
@Check('ck_gov_proposals_outcome', `outcome IS NULL OR outcome IN ('passed', 'failed', 'no_quorum')`)
@Check('ck_gov_proposals_method', `method IN ('motion', 'schulze', 'approval', 'plurality')`)
@Check('ck_gov_proposals_ballot_mode', `ballot_mode IN ('roll_call', 'secret')`)
@Check('ck_gov_proposals_electorate', `electorate IN ('body', 'sig_maintainers', 'active_contributors')`)
@Check('ck_gov_proposals_seats', `seats BETWEEN 1 AND 50`)
@Check('ck_gov_proposals_closed', `(status = 'closed') = (outcome IS NOT NULL)`)
@Index('ix_gov_proposals_status', ['status', 'votingClosesAt'])
@Index('ix_gov_proposals_body', ['bodyId', 'id'])
@Index('ix_gov_proposals_sig', ['sigId'])
export class GovProposalEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'body_id', type: 'integer' })
  bodyId: number;

  @ManyToOne(() => GovBodyEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'body_id' })
  body?: GovBodyEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: ProposalKind;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Markdown, sanitised when rendered. */
  @Column({ type: 'text', default: '' })
  text: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: ProposalStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: Outcome | null;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity | null;

  /** The SIG a lifecycle proposal creates or archives. */
  @Column({ name: 'sig_id', type: 'integer', nullable: true })
  sigId: number | null;

  @ManyToOne(() => SigEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity | null;

  @Column({ type: 'varchar', length: 16 })
  method: VoteMethod;

  /** How many options an election fills. */
  @Column({ type: 'smallint', default: 1 })
  seats: number;

  @Column({ name: 'ballot_mode', type: 'varchar', length: 16 })
  ballotMode: BallotMode;

  @Column({ type: 'varchar', length: 24, default: 'body' })
  electorate: ElectorateKind;

  /** For `active_contributors`: active within this many months. */
  @Column({ name: 'electorate_months', type: 'smallint', nullable: true })
  electorateMonths: number | null;

  @Column({ type: 'jsonb' })
  rules: ProposalRules;

  /** When voting opens by itself (a scheduled job); null = when an officer opens it. */
  @Column({ name: 'voting_opens_at', type: 'timestamptz', nullable: true })
  votingOpensAt: Date | null;

  @Column({ name: 'voting_closes_at', type: 'timestamptz', nullable: true })
  votingClosesAt: Date | null;

  /** Eligibility exception requests are accepted until then. */
  @Column({ name: 'exceptions_close_at', type: 'timestamptz', nullable: true })
  exceptionsCloseAt: Date | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** The published result; a trigger refuses to change it once set. Loaded only when asked for. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  result: JsonObject | null;

  @Column({ name: 'result_sha256', type: 'char', length: 64, nullable: true })
  resultSha256: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A choice of an election (motions have the fixed yes / no / abstain). */
@Entity('gov_options')
@Unique('uq_gov_options_key', ['proposalId', 'key'])
@Check('ck_gov_options_key', `key ~ '^[a-z0-9][a-z0-9_-]{0,31}$'`)
export class GovOptionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'proposal_id', type: 'integer' })
  proposalId: number;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity;

  @Column({ type: 'varchar', length: 32 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'smallint' })
  position: number;

  /** "None of the above": an option must beat it to win. */
  @Column({ name: 'is_nota', type: 'boolean', default: false })
  isNota: boolean;
}

/** Who may vote, snapshotted when voting opens; exceptions are added by officers. */
@Entity('gov_electorate')
@Check('ck_gov_electorate_source', `source IN ('snapshot', 'exception')`)
@Index('ix_gov_electorate_user', ['userId'])
export class GovElectorEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'integer' })
  proposalId: number;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16, default: 'snapshot' })
  source: 'snapshot' | 'exception';

  /** Whether (not how) this person voted: turnout, early close and reminders need it. */
  @Column({ name: 'voted', type: 'boolean', default: false })
  voted: boolean;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;
}

@Entity('gov_eligibility_requests')
@Unique('uq_gov_eligibility_requests', ['proposalId', 'userId'])
@Check('ck_gov_eligibility_requests_status', `status IN ('pending', 'approved', 'declined')`)
export class GovEligibilityRequestEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'proposal_id', type: 'integer' })
  proposalId: number;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: 'pending' | 'approved' | 'declined';

  @Column({ name: 'decided_by', type: 'integer', nullable: true })
  decidedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * One ballot per voter and proposal: the primary key is an HMAC of (proposal, voter) under a key
 * the database does not hold, so the database enforces "one ballot each" under concurrent
 * submissions without storing who cast a secret ballot. Secret ballots carry no voter and no
 * time; roll-call ballots name the voter.
 */
@Entity('gov_ballots')
@Unique('uq_gov_ballots_receipt', ['proposalId', 'receipt'])
@Check('ck_gov_ballots_roll_call', `(voter_id IS NULL) = (cast_at IS NULL)`)
export class GovBallotEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'integer' })
  proposalId: number;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity;

  @PrimaryColumn({ name: 'ballot_key', type: 'char', length: 64 })
  ballotKey: string;

  /** Roll-call only. */
  @Column({ name: 'voter_id', type: 'integer', nullable: true })
  voterId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'voter_id' })
  voter?: UserEntity | null;

  /** HMAC of the proposal under a secret only the voter holds; published with the ballot list. */
  @Column({ type: 'char', length: 64 })
  receipt: string;

  @Column({ type: 'jsonb' })
  choice: BallotChoice;

  /** Roll-call only. */
  @Column({ name: 'cast_at', type: 'timestamptz', nullable: true })
  castAt: Date | null;
}

export type BallotChoice =
  { vote: 'yes' | 'no' | 'abstain' } | { ranks: Record<string, number> } | { approve: string[] } | { pick: string };

@Entity('gov_comments')
@Index('ix_gov_comments_proposal', ['proposalId', 'id'])
export class GovCommentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'proposal_id', type: 'integer' })
  proposalId: number;

  @ManyToOne(() => GovProposalEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: GovProposalEntity;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity | null;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * The governance audit trail: every entry carries the SHA-256 of the previous one, so changing,
 * removing or reordering a row breaks the chain from that row on. A trigger makes the table
 * append-only; the chain catches whoever gets past the trigger.
 */
@Entity('gov_audit')
@Unique('uq_gov_audit_hash', ['hash'])
@Index('ix_gov_audit_proposal', ['proposalId', 'id'])
export class GovAuditEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'proposal_id', type: 'integer', nullable: true })
  proposalId: number | null;

  @Column({ name: 'body_id', type: 'integer', nullable: true })
  bodyId: number | null;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ type: 'jsonb' })
  data: JsonObject;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
