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
import { ReleaseEntity } from '../mirrors/mirror.entity';
import { UserEntity } from '../users/user.entity';

/**
 * What the release page says about a release of the catalogue (`releases`, owned by the mirrors
 * area): one row per release at most, written by admins. Lifecycle dates stay on `releases`.
 */
@Entity('release_pages')
export class ReleasePageEntity {
  @PrimaryColumn({ name: 'release_id', type: 'integer', primaryKeyConstraintName: 'pk_release_pages' })
  releaseId: number;

  // Many-to-one on the primary key: one page per release, without a second unique index.
  @ManyToOne(() => ReleaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'release_id', foreignKeyConstraintName: 'fk_release_pages_release' })
  release?: ReleaseEntity;

  /** e.g. `6.6` — shown beside the dates and searched. */
  @Column({ type: 'varchar', length: 60, default: '' })
  kernel: string;

  /** One line: the headline the home page shows for the current release. */
  @Column({ name: 'tagline_en', type: 'varchar', length: 300, default: '' })
  taglineEn: string;

  @Column({ name: 'tagline_zh', type: 'varchar', length: 300, default: '' })
  taglineZh: string;

  /** Markdown: notable features, performance notes. */
  @Column({ name: 'highlights_en', type: 'text', default: '' })
  highlightsEn: string;

  @Column({ name: 'highlights_zh', type: 'text', default: '' })
  highlightsZh: string;

  /** Markdown. */
  @Column({ type: 'text', default: '' })
  changelog: string;

  /** A bug quicksearch (`version:9.4 severity:critical`); its public matches are the known issues. */
  @Column({ name: 'known_issues_query', type: 'varchar', length: 500, default: '' })
  knownIssuesQuery: string;

  @Column({ name: 'updated_by', type: 'integer', nullable: true })
  updatedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_release_pages_updated_by' })
  updater?: UserEntity | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const POST_KINDS = ['news', 'page'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_STATUSES = ['draft', 'published'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];
export const POST_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Admin-written news posts and plain pages (about, code of conduct), each in both languages. */
@Entity('content_posts')
@Check('ck_content_posts_kind', `kind IN ('news', 'page')`)
@Check('ck_content_posts_status', `status IN ('draft', 'published')`)
@Check('ck_content_posts_slug', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('ck_content_posts_published', `status = 'draft' OR published_at IS NOT NULL`)
@Index('uq_content_posts_kind_slug', ['kind', 'slug'], { unique: true })
@Index('ix_content_posts_published', ['kind', 'publishedAt'])
export class ContentPostEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_content_posts',
  })
  id: number;

  @Column({ type: 'varchar', length: 8 })
  kind: PostKind;

  @Column({ type: 'varchar', length: 100 })
  slug: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, default: '' })
  titleEn: string;

  @Column({ name: 'title_zh', type: 'varchar', length: 200, default: '' })
  titleZh: string;

  @Column({ name: 'summary_en', type: 'varchar', length: 500, default: '' })
  summaryEn: string;

  @Column({ name: 'summary_zh', type: 'varchar', length: 500, default: '' })
  summaryZh: string;

  /** Markdown. */
  @Column({ name: 'body_en', type: 'text', default: '' })
  bodyEn: string;

  @Column({ name: 'body_zh', type: 'text', default: '' })
  bodyZh: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: PostStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_content_posts_author' })
  author?: UserEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const CONTENT_ENTITIES = [ReleasePageEntity, ContentPostEntity];
