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
import { UserEntity } from '../users/user.entity';

export const RELEASE_FAMILIES = ['opencloudos', 'stream'] as const;
export type ReleaseFamily = (typeof RELEASE_FAMILIES)[number];
export const RELEASE_STATUSES = ['draft', 'published'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export const ARCHES = ['x86_64', 'aarch64', 'loongarch64'] as const;
export type Arch = (typeof ARCHES)[number];
export const VARIANTS = ['everything', 'dvd', 'minimal', 'netinst', 'boot', 'cloud', 'container'] as const;
export type Variant = (typeof VARIANTS)[number];
/** `8.6`, `9.2`, `23` (Stream). */
export const RELEASE_VERSION = /^\d{1,3}(\.\d{1,3})?$/;

/** One release of the distribution and where its images live on every mirror. */
@Entity('releases')
@Check('ck_releases_family', `family IN ('opencloudos', 'stream')`)
@Check('ck_releases_status', `status IN ('draft', 'published')`)
@Check('ck_releases_version', `version ~ '^[0-9]{1,3}([.][0-9]{1,3})?$'`)
@Index('uq_releases_family_version', ['family', 'version'], { unique: true })
export class ReleaseEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_releases',
  })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  family: ReleaseFamily;

  @Column({ type: 'varchar', length: 16 })
  version: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Directory of the release relative to the mirror root, e.g. `opencloudos/9.2`. */
  @Column({ type: 'varchar', length: 200 })
  path: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: ReleaseStatus;

  /** The release the download page offers first within its family. */
  @Column({ name: 'is_latest', type: 'boolean', default: false })
  isLatest: boolean;

  @Column({ name: 'released_on', type: 'date', nullable: true })
  releasedOn: string | null;

  @Column({ name: 'full_support_until', type: 'date', nullable: true })
  fullSupportUntil: string | null;

  @Column({ name: 'eol_on', type: 'date', nullable: true })
  eolOn: string | null;

  /** Path of the public signing key relative to the mirror root, e.g. `opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9`. */
  @Column({ name: 'signing_key_path', type: 'varchar', length: 300, nullable: true })
  signingKeyPath: string | null;

  @Column({ name: 'imported_at', type: 'timestamptz', nullable: true })
  importedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A downloadable file of a release: an ISO, a cloud image, a container image. */
@Entity('release_artefacts')
@Check('ck_release_artefacts_arch', `arch IN ('x86_64', 'aarch64', 'loongarch64')`)
@Check(
  'ck_release_artefacts_variant',
  `variant IN ('everything', 'dvd', 'minimal', 'netinst', 'boot', 'cloud', 'container')`,
)
@Check('ck_release_artefacts_sha256', `sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'`)
@Check('ck_release_artefacts_size', `size >= 0`)
export class ReleaseArtefactEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_release_artefacts',
  })
  id: number;

  @Index('ix_release_artefacts_release')
  @Column({ name: 'release_id', type: 'integer' })
  releaseId: number;

  @ManyToOne(() => ReleaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'release_id', foreignKeyConstraintName: 'fk_release_artefacts_release' })
  release?: ReleaseEntity;

  @Column({ type: 'varchar', length: 16 })
  arch: Arch;

  @Column({ type: 'varchar', length: 16 })
  variant: Variant;

  /** Relative to the mirror root, no leading slash. */
  @Index('uq_release_artefacts_path', { unique: true })
  @Column({ type: 'varchar', length: 400 })
  path: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  @Column({ name: 'checksum_path', type: 'varchar', length: 400, nullable: true })
  checksumPath: string | null;

  @Column({ name: 'signature_path', type: 'varchar', length: 400, nullable: true })
  signaturePath: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const MIRROR_STATUSES = ['pending', 'active', 'disabled'] as const;
export type MirrorStatus = (typeof MIRROR_STATUSES)[number];
export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;
export type Continent = (typeof CONTINENTS)[number];
/** Launchpad-like freshness buckets, best first. */
export const BUCKETS = ['up-to-date', '1h', '6h', '1d', '2d', '1w', 'older', 'unknown', 'unreachable'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const MIRROR_CONTENT = ['releases', 'repos', 'isos'] as const;
export type MirrorContent = (typeof MIRROR_CONTENT)[number];

/** A mirror registered by its operator and checked by the probe worker. */
@Entity('mirrors')
@Check('ck_mirrors_status', `status IN ('pending', 'active', 'disabled')`)
@Check('ck_mirrors_continent', `continent IN ('AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA')`)
@Check('ck_mirrors_country', `country ~ '^[A-Z]{2}$'`)
@Check('ck_mirrors_bandwidth', `bandwidth_mbps > 0`)
@Check('ck_mirrors_url', `https_url IS NOT NULL OR http_url IS NOT NULL`)
export class MirrorEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_mirrors',
  })
  id: number;

  @Index('uq_mirrors_name', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  sponsor: string;

  @Column({ name: 'sponsor_url', type: 'varchar', length: 500, nullable: true })
  sponsorUrl: string | null;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'char', length: 2 })
  continent: Continent;

  @Column({ name: 'bandwidth_mbps', type: 'integer' })
  bandwidthMbps: number;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Index('ix_mirrors_owner')
  @Column({ name: 'owner_id', type: 'integer', nullable: true })
  ownerId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_mirrors_owner' })
  owner?: UserEntity | null;

  /** Base URLs of the mirror root (the directory holding `opencloudos/`), without a trailing slash. */
  @Column({ name: 'https_url', type: 'varchar', length: 500, nullable: true })
  httpsUrl: string | null;

  @Column({ name: 'http_url', type: 'varchar', length: 500, nullable: true })
  httpUrl: string | null;

  @Column({ name: 'rsync_url', type: 'varchar', length: 500, nullable: true })
  rsyncUrl: string | null;

  @Column({ type: 'text', array: true, default: () => "'{releases,repos,isos}'" })
  content: MirrorContent[];

  @Index('ix_mirrors_status')
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: MirrorStatus;

  /** `auto` when the prober disabled it (it comes back by itself), `admin` otherwise. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 300, nullable: true })
  disabledReason: string | null;

  @Column({ name: 'auto_disabled', type: 'boolean', default: false })
  autoDisabled: boolean;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ type: 'varchar', length: 16, default: 'unknown' })
  bucket: Bucket;

  /** Arch-like: (mean delay h + mean probe duration s + its spread) / completion; lower is better. */
  @Column({ type: 'real', nullable: true })
  score: number | null;

  @Column({ name: 'lag_seconds', type: 'integer', nullable: true })
  lagSeconds: number | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ name: 'tls_valid', type: 'boolean', nullable: true })
  tlsValid: boolean | null;

  @Column({ name: 'protocols_up', type: 'text', array: true, default: () => "'{}'" })
  protocolsUp: string[];

  /** Current artefacts the last probe found missing or of the wrong size (never redirected to). */
  @Column({ name: 'missing_paths', type: 'text', array: true, default: () => "'{}'" })
  missingPaths: string[];

  /** Package repositories (`9/BaseOS/x86_64`) whose repomd.xml matched the master's at the last probe. */
  @Column({ name: 'fresh_repos', type: 'text', array: true, default: () => "'{}'" })
  freshRepos: string[];

  @Column({ name: 'last_sync_at', type: 'timestamptz', nullable: true })
  lastSyncAt: Date | null;

  @Column({ name: 'last_probe_at', type: 'timestamptz', nullable: true })
  lastProbeAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One probe of one mirror: the history behind uptime sparklines and the score. */
@Entity('mirror_probes')
@Index('ix_mirror_probes_mirror_time', ['mirrorId', 'probedAt'])
export class MirrorProbeEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_mirror_probes',
  })
  id: string;

  @Column({ name: 'mirror_id', type: 'integer' })
  mirrorId: number;

  @ManyToOne(() => MirrorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mirror_id', foreignKeyConstraintName: 'fk_mirror_probes_mirror' })
  mirror?: MirrorEntity;

  @Column({ name: 'probed_at', type: 'timestamptz' })
  probedAt: Date;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'varchar', length: 16 })
  bucket: Bucket;

  @Column({ name: 'lag_seconds', type: 'integer', nullable: true })
  lagSeconds: number | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  /** Share of the checked files (TIME, repomd.xml, ISOs) that were right, 0–1. */
  @Column({ type: 'real' })
  completion: number;

  @Column({ name: 'protocols_up', type: 'text', array: true, default: () => "'{}'" })
  protocolsUp: string[];

  @Column({ name: 'tls_valid', type: 'boolean', nullable: true })
  tlsValid: boolean | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}

/** The master's repomd.xml of one package repository, as the metalink advertises it. */
@Entity('mirror_master_repos')
export class MasterRepoEntity {
  /** `9/BaseOS/x86_64` */
  @PrimaryColumn({ name: 'repo_key', type: 'varchar', length: 100, primaryKeyConstraintName: 'pk_mirror_master_repos' })
  repoKey: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  timestamp: number;

  @Column({ type: 'char', length: 32 })
  md5: string;

  @Column({ type: 'char', length: 40 })
  sha1: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'char', length: 128 })
  sha512: string;

  @UpdateDateColumn({ name: 'fetched_at', type: 'timestamptz' })
  fetchedAt: Date;
}
