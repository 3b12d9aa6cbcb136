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
import { SigEntity } from '../sigs/sig.entity';

/** Gitee repository names under src-opencloudos-rpms: what a package is called everywhere. */
export const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** A source package. Every package belongs to exactly one SIG (NOT NULL foreign key). */
@Entity('packages')
@Check('ck_packages_name', `name ~ '^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$'`)
@Index('ix_packages_sig', ['sigId', 'id'])
@Index('ix_packages_gitee_org', ['giteeOrg', 'giteePass'])
// lower(name), for searches naming a component (migration 1764750000000)
@Index('ix_packages_name_lower', { synchronize: false })
export class PackageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('uq_packages_name', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'upstream_url', type: 'varchar', length: 500, nullable: true })
  upstreamUrl: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  branches: string[];

  @Column({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  /** Gitee logins that review this package's changes, besides the SIG's reviewers. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reviewers: string[];

  // ---- kept in step with Gitee by the sync workers (modules/sync); null for packages never seen there

  /** Gitee's repository id: survives renames, so a renamed repository renames its package. */
  @Index('uq_packages_gitee_id', { unique: true, where: 'gitee_id IS NOT NULL' })
  @Column({ name: 'gitee_id', type: 'bigint', nullable: true })
  giteeId: string | null;

  /** The organisation the repository lives in (src-opencloudos-rpms, opencloudos-stream …). */
  @Column({ name: 'gitee_org', type: 'varchar', length: 100, nullable: true })
  giteeOrg: string | null;

  @Column({ name: 'default_branch', type: 'varchar', length: 100, nullable: true })
  defaultBranch: string | null;

  @Column({ name: 'pushed_at', type: 'timestamptz', nullable: true })
  pushedAt: Date | null;

  /** The pushed_at whose branches were last fetched: details are re-read only when it moves. */
  @Column({ name: 'details_pushed_at', type: 'timestamptz', nullable: true, select: false })
  detailsPushedAt?: Date | null;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  /** Set when a complete listing of its organisation no longer has the repository (and Gitee says 404). */
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  /** The organisation's sync pass that last listed the repository. */
  @Column({ name: 'gitee_pass', type: 'integer', nullable: true, select: false })
  giteePass?: number | null;

  @Column({ name: 'gitee_synced_at', type: 'timestamptz', nullable: true })
  giteeSyncedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
