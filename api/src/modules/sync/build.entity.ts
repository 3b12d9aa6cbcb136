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
  UpdateDateColumn,
} from 'typeorm';
import { PackageEntity } from '../packages/package.entity';

export const BUILD_STATES = ['BUILDING', 'COMPLETE', 'FAILED', 'CANCELED', 'DELETED'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

/** A build of a package in a build system (Koji today; the `system` column leaves room for a Jenkins gate). */
@Entity('builds')
@Unique('uq_builds_external', ['system', 'externalId'])
@Check('ck_builds_state', `state IN ('BUILDING', 'COMPLETE', 'FAILED', 'CANCELED', 'DELETED')`)
@Index('ix_builds_package', ['packageId', 'release', 'id'])
@Index('ix_builds_state', ['state'])
@Index('ix_builds_commit', ['sourceCommit'])
export class BuildEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_builds',
  })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  system: string;

  /** The build's id in its system (Koji's build_id). */
  @Column({ name: 'external_id', type: 'bigint' })
  externalId: string;

  @Column({ name: 'package_id', type: 'integer', nullable: true })
  packageId: number | null;

  @ManyToOne(() => PackageEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'package_id', foreignKeyConstraintName: 'fk_builds_package' })
  package?: PackageEntity | null;

  @Column({ name: 'package_name', type: 'varchar', length: 100 })
  packageName: string;

  @Column({ type: 'varchar', length: 255 })
  nvr: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  target: string | null;

  /** The release the target builds for (dist-oc9 → 9). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  release: string | null;

  /** Configured tags the build is tagged into (the release repositories). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  arches: string[];

  @Column({ type: 'varchar', length: 16 })
  state: BuildState;

  @Column({ type: 'varchar', length: 100, default: '' })
  owner: string;

  @Column({ name: 'source_url', type: 'varchar', length: 500, nullable: true })
  sourceUrl: string | null;

  @Column({ name: 'source_commit', type: 'varchar', length: 64, nullable: true })
  sourceCommit: string | null;

  @Column({ name: 'task_id', type: 'bigint', nullable: true })
  taskId: string | null;

  @Column({ name: 'task_url', type: 'varchar', length: 500, nullable: true })
  taskUrl: string | null;

  @Column({ name: 'log_url', type: 'varchar', length: 500, nullable: true })
  logUrl: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** When a poll first found the build in one of its release tags (the compose that follows carries it). */
  @Column({ name: 'tagged_at', type: 'timestamptz', nullable: true })
  taggedAt: Date | null;

  /** The owning SIG's maintainers were told about this failure (once, not on every poll). */
  @Column({ name: 'failure_notified_at', type: 'timestamptz', nullable: true })
  failureNotifiedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Where a build system's incremental poll continues from. */
@Entity('sync_build_cursors')
export class BuildCursorEntity {
  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_sync_build_cursors' })
  system: string;

  /** Creation time (seconds since the epoch, as the system reports it) of the newest build seen. */
  @Column({ name: 'created_after', type: 'double precision', nullable: true })
  createdAfter: number | null;

  @Column({ name: 'polled_at', type: 'timestamptz', nullable: true })
  polledAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}
