import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BugEntity } from '../bugs/bug.entity';
import { BuildEntity } from './build.entity';

/** What the last pass over an organisation did, for the state endpoint and the logs. */
export interface GiteePassStats {
  requests: number;
  listed: number;
  created: number;
  updated: number;
  renamed: number;
  removed: number;
  restored: number;
  detailsFetched: number;
  /** Repositories not applied, with the reason: reported, never guessed. */
  conflicts: string[];
}

/**
 * One organisation's sync cursor. A pass lists pages 1…total_page; each page is applied and the
 * cursor advanced in one transaction, so a worker killed mid-pass is continued by the next one
 * (after the lease expires) from the first page it had not finished.
 */
@Entity('sync_gitee_orgs')
@Check('ck_sync_gitee_orgs_state', `state IN ('idle', 'running', 'paused', 'failed')`)
export class GiteeOrgSyncEntity {
  @PrimaryColumn({ type: 'varchar', length: 100, primaryKeyConstraintName: 'pk_sync_gitee_orgs' })
  org: string;

  /** Increases with every pass; packages listed in this pass carry it. */
  @Column({ type: 'integer', default: 0 })
  pass: number;

  @Column({ type: 'varchar', length: 16, default: 'idle' })
  state: string;

  /** The next page to list in the current pass; null when no pass is in progress. */
  @Column({ name: 'next_page', type: 'integer', nullable: true })
  nextPage: number | null;

  @Column({ name: 'total_pages', type: 'integer', nullable: true })
  totalPages: number | null;

  @Column({ name: 'total_count', type: 'integer', nullable: true })
  totalCount: number | null;

  /** Repositories listed so far in the current pass. */
  @Column({ type: 'integer', default: 0 })
  seen: number;

  /** False once a page came back short or the total moved: such a pass removes nothing. */
  @Column({ type: 'boolean', default: true })
  complete: boolean;

  @Column({ name: 'stats', type: 'jsonb', default: () => `'{}'` })
  stats: Partial<GiteePassStats>;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Rate limit or hourly budget: no requests before this. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil: Date | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}

/** A commit that mentioned a bug: the comment is written once per (commit, bug), however often Gitee sends it. */
@Entity('sync_commit_bug_links')
@Index('ix_sync_commit_bug_links_bug', ['bugId'])
export class CommitBugLinkEntity {
  @PrimaryColumn({
    name: 'commit_sha',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_sync_commit_bug_links',
  })
  commitSha: string;

  @PrimaryColumn({ name: 'bug_id', type: 'integer', primaryKeyConstraintName: 'pk_sync_commit_bug_links' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id', foreignKeyConstraintName: 'fk_sync_commit_bug_links_bug' })
  bug?: BugEntity;

  @Column({ type: 'varchar', length: 200 })
  repo: string;

  @Column({ type: 'varchar', length: 100 })
  branch: string;

  @Column({ type: 'varchar', length: 500 })
  url: string;

  /** The commit says it fixes the bug (not only mentions it). */
  @Column({ type: 'boolean', default: false })
  fixes: boolean;

  /** Null while the comment is being written; a retry finishes what a crash left. */
  @Column({ name: 'commented_at', type: 'timestamptz', nullable: true })
  commentedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  resolved: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The community's ownership file (packages.yaml): what was last read, applied, and reported. */
@Entity('sync_community_files')
export class CommunityFileSyncEntity {
  /** owner/repo:ref:path */
  @PrimaryColumn({ type: 'varchar', length: 300, primaryKeyConstraintName: 'pk_sync_community_files' })
  key: string;

  /** Blob sha last read. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha: string | null;

  /** Blob sha last imported without problems: an unchanged file is not imported again. */
  @Column({ name: 'applied_sha', type: 'varchar', length: 64, nullable: true })
  appliedSha: string | null;

  /** The SIG import's report of the last read: problems (conflicts), warnings, summary. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  report: Record<string, unknown>;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;
}

/** A bug's fix reached its release repository: the build tagged there, and whether the reporter was told. */
@Entity('sync_bug_fix_releases')
export class BugFixReleaseEntity {
  @PrimaryColumn({ name: 'bug_id', type: 'integer', primaryKeyConstraintName: 'pk_sync_bug_fix_releases' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id', foreignKeyConstraintName: 'fk_sync_bug_fix_releases_bug' })
  bug?: BugEntity;

  /** The release (9, 8 …) of the build's target. */
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_sync_bug_fix_releases' })
  release: string;

  @Column({ name: 'build_id', type: 'integer' })
  buildId: number;

  @ManyToOne(() => BuildEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'build_id', foreignKeyConstraintName: 'fk_sync_bug_fix_releases_build' })
  build?: BuildEntity;

  @Column({ name: 'released_at', type: 'timestamptz', default: () => 'now()' })
  releasedAt: Date;

  /** The reporter was notified (in-app and by mail), once. */
  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt: Date | null;
}
