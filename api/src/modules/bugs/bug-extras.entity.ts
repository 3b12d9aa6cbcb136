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
import { BugEntity } from './bug.entity';

/** `needinfo?(requestee)`: an open question to one person; answered by their comment or cleared. */
@Entity('bug_flags')
@Unique('uq_bug_flags_bug_name_requestee', ['bugId', 'name', 'requesteeId'])
@Check('ck_bug_flags_name', `name IN ('needinfo')`)
@Index('ix_bug_flags_requestee', ['requesteeId', 'createdAt'])
export class BugFlagEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @Column({ type: 'varchar', length: 32, default: 'needinfo' })
  name: string;

  @Column({ name: 'requestee_id', type: 'integer' })
  requesteeId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'requestee_id' })
  requestee?: UserEntity;

  @Column({ name: 'setter_id', type: 'integer' })
  setterId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'setter_id' })
  setter?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;
}

/** File metadata; the bytes live in attachment storage under `storageKey`. */
@Entity('bug_attachments')
@Index('ix_bug_attachments_bug', ['bugId', 'id'])
export class BugAttachmentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 100 })
  storageKey: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  description: string;

  @Column({ name: 'is_private', type: 'boolean', default: false })
  isPrivate: boolean;

  @Column({ name: 'is_patch', type: 'boolean', default: false })
  isPatch: boolean;

  @Column({ name: 'is_obsolete', type: 'boolean', default: false })
  isObsolete: boolean;

  @Column({ name: 'creator_id', type: 'integer' })
  creatorId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'creator_id' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A named quicksearch; shared ones are listed for everyone; watched ones mail new matches. */
@Entity('bug_saved_searches')
@Unique('uq_bug_saved_searches_owner_name', ['ownerId', 'name'])
export class BugSavedSearchEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'owner_id', type: 'integer' })
  ownerId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 1000 })
  query: string;

  @Column({ type: 'varchar', length: 20, default: 'updated' })
  sort: string;

  @Column({ type: 'boolean', default: false })
  shared: boolean;

  @Column({ type: 'boolean', default: false })
  watch: boolean;

  /** Bugs created after this moment are "new" for the watch mail. */
  @Column({ name: 'watched_since', type: 'timestamptz', default: () => 'now()' })
  watchedSince: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** People who follow every bug routed to a SIG. */
@Entity('sig_bug_watchers')
@Index('ix_sig_bug_watchers_user', ['userId'])
export class SigBugWatcherEntity {
  @PrimaryColumn({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
}

export const BUG_MAIL_ROLES = ['reporter', 'assignee', 'qa', 'cc', 'watcher'] as const;
export type BugMailRole = (typeof BUG_MAIL_ROLES)[number];
export const BUG_MAIL_EVENTS = ['new', 'comment', 'status', 'fields', 'needinfo'] as const;
export type BugMailEvent = (typeof BUG_MAIL_EVENTS)[number];

/** One cell of a user's event × role matrix that differs from the default (everything on). */
@Entity('bug_mail_prefs')
@Check('ck_bug_mail_prefs_role', `role IN ('reporter', 'assignee', 'qa', 'cc', 'watcher')`)
@Check('ck_bug_mail_prefs_event', `event IN ('new', 'comment', 'status', 'fields', 'needinfo')`)
export class BugMailPrefEntity {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  role: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  event: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'boolean' })
  enabled: boolean;
}
