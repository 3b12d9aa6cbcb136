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
  UpdateDateColumn,
} from 'typeorm';
import { PackageEntity } from '../packages/package.entity';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';
import { BugComponentEntity, BugProductEntity } from './bug-product.entity';

/**
 * A bug. The description is comment number 0, as in Bugzilla, so search, edit history and the
 * REST API treat it like any other comment. `sigId` is the routing: the SIG whose triage queue
 * holds the bug, taken from the package's owner (or the general component) when filed and moved
 * with the package while the bug is open.
 */
@Entity('bugs')
@Check('ck_bugs_status', `status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED')`)
@Check(
  'ck_bugs_resolution',
  `(status IN ('RESOLVED', 'VERIFIED')) = (resolution IS NOT NULL) AND (resolution IS NULL OR resolution IN ('FIXED', 'INVALID', 'WONTFIX', 'DUPLICATE', 'WORKSFORME'))`,
)
@Check(
  'ck_bugs_dupe',
  `(resolution IS NOT DISTINCT FROM 'DUPLICATE') = (dupe_of_id IS NOT NULL) AND (dupe_of_id IS NULL OR dupe_of_id <> id)`,
)
@Check('ck_bugs_component', `(component_id IS NULL) <> (package_id IS NULL)`)
@Check('ck_bugs_severity', `severity IN ('blocker', 'critical', 'major', 'normal', 'minor', 'trivial', 'enhancement')`)
@Check('ck_bugs_priority', `priority IN ('P1', 'P2', 'P3', 'P4', 'P5')`)
@Index('ix_bugs_updated', ['updatedAt', 'id'])
@Index('ix_bugs_sig_status', ['sigId', 'status'])
@Index('ix_bugs_package', ['packageId'])
@Index('ix_bugs_assignee', ['assigneeId'])
@Index('ix_bugs_reporter', ['reporterId'])
@Index('ix_bugs_dupe_of', ['dupeOfId'])
@Index('ix_bugs_product_status', ['productId', 'status'])
@Index('ix_bugs_search', { synchronize: false })
@Index('ix_bugs_summary_trgm', { synchronize: false })
@Index('ix_bugs_open_updated', { synchronize: false })
@Index('ix_bugs_summary_vector', { synchronize: false })
@Index('ix_bugs_open_assignee', { synchronize: false })
@Index('ix_bugs_open_package', { synchronize: false })
@Index('ix_bugs_open_sig', { synchronize: false })
@Index('ix_bugs_open_component', { synchronize: false })
@Index('ix_bugs_open_id', { synchronize: false })
@Index('ix_bugs_open_heat', { synchronize: false })
@Index('ix_bugs_open_priority', { synchronize: false })
export class BugEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'product_id', type: 'integer' })
  productId: number;

  @ManyToOne(() => BugProductEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'product_id' })
  product?: BugProductEntity;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column({ name: 'component_id', type: 'integer', nullable: true })
  componentId: number | null;

  @ManyToOne(() => BugComponentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'component_id' })
  component?: BugComponentEntity | null;

  @Column({ name: 'package_id', type: 'integer', nullable: true })
  packageId: number | null;

  @ManyToOne(() => PackageEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'package_id' })
  package?: PackageEntity | null;

  @Column({ name: 'sig_id', type: 'integer', nullable: true })
  sigId: number | null;

  @ManyToOne(() => SigEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity | null;

  @Column({ type: 'varchar', length: 255 })
  summary: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  resolution: string | null;

  @Column({ name: 'dupe_of_id', type: 'integer', nullable: true })
  dupeOfId: number | null;

  @ManyToOne(() => BugEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dupe_of_id' })
  dupeOf?: BugEntity | null;

  @Column({ type: 'varchar', length: 20, default: 'normal' })
  severity: string;

  @Column({ type: 'varchar', length: 2, default: 'P3' })
  priority: string;

  @Column({ type: 'varchar', length: 32, default: 'All' })
  hardware: string;

  @Column({ name: 'op_sys', type: 'varchar', length: 32, default: 'Linux' })
  opSys: string;

  @Column({ name: 'reporter_id', type: 'integer' })
  reporterId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'reporter_id' })
  reporter?: UserEntity;

  @Column({ name: 'assignee_id', type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: UserEntity | null;

  @Column({ name: 'qa_contact_id', type: 'integer', nullable: true })
  qaContactId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'qa_contact_id' })
  qaContact?: UserEntity | null;

  @Column({ type: 'varchar', length: 500, default: '' })
  url: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  whiteboard: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  @Column({ name: 'cve_ids', type: 'text', array: true, default: () => "'{}'" })
  cveIds: string[];

  @Column({ name: 'see_also', type: 'text', array: true, default: () => "'{}'" })
  seeAlso: string[];

  @Column({ name: 'target_release', type: 'varchar', length: 32, default: '' })
  targetRelease: string;

  /** A build NVR; linked to the build once builds are synced. */
  @Column({ name: 'fixed_in', type: 'varchar', length: 200, default: '' })
  fixedIn: string;

  /** Security bug: only the security team, admins, reporter, assignee, QA contact and CC see it. */
  @Column({ name: 'is_private', type: 'boolean', default: false })
  isPrivate: boolean;

  /** A private bug becomes public at this moment (coordinated disclosure). */
  @Column({ name: 'embargo_until', type: 'timestamptz', nullable: true })
  embargoUntil: Date | null;

  @Column({ name: 'affected_count', type: 'integer', default: 0 })
  affectedCount: number;

  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;

  /** Launchpad-like: grows with affected users, CCs, comments, duplicates, severity and security. */
  @Column({ type: 'integer', default: 0 })
  heat: number;

  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false })
  searchVector?: string | null;

  /** Summary and aliases only: duplicate hints and relevance ranking read this small one. */
  @Column({ name: 'summary_vector', type: 'tsvector', nullable: true, select: false })
  summaryVector?: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Bugzilla 5 allows several aliases per bug; each names one bug. */
@Entity('bug_aliases')
@Check('ck_bug_aliases_alias', `alias ~ '^[A-Za-z][A-Za-z0-9_.-]{0,39}$'`)
@Index('ix_bug_aliases_bug', ['bugId'])
export class BugAliasEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  alias: string;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;
}

@Entity('bug_cc')
@Index('ix_bug_cc_user', ['userId'])
export class BugCcEntity {
  @PrimaryColumn({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
}

/** "This affects me too" (Launchpad). */
@Entity('bug_affects')
export class BugAffectsEntity {
  @PrimaryColumn({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** `bugId` depends on `dependsOnId` (which therefore blocks it). Cycles are refused. */
@Entity('bug_dependencies')
@Check('ck_bug_dependencies_self', `bug_id <> depends_on_id`)
@Index('ix_bug_dependencies_blocks', ['dependsOnId'])
export class BugDependencyEntity {
  @PrimaryColumn({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @PrimaryColumn({ name: 'depends_on_id', type: 'integer' })
  dependsOnId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'depends_on_id' })
  dependsOn?: BugEntity;
}

/** What changed on a bug: one row per field per change, as Bugzilla's bugs_activity. */
@Entity('bug_history')
@Index('ix_bug_history_bug', ['bugId', 'id'])
export class BugHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity | null;

  @Column({ type: 'varchar', length: 40 })
  field: string;

  @Column({ type: 'text', default: '' })
  removed: string;

  @Column({ type: 'text', default: '' })
  added: string;

  /** Changes to private comments or attachments are shown only to those who may see them. */
  @Column({ name: 'is_private', type: 'boolean', default: false })
  isPrivate: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
