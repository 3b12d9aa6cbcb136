import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { BugEntity } from './bug.entity';

/** A comment; `count` 0 is the description. Private comments are for the security team. */
@Entity('bug_comments')
@Unique('uq_bug_comments_bug_count', ['bugId', 'count'])
@Index('ix_bug_comments_author', ['authorId'])
export class BugCommentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id' })
  bug?: BugEntity;

  @Column({ type: 'integer' })
  count: number;

  @Column({ name: 'author_id', type: 'integer' })
  authorId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'is_private', type: 'boolean', default: false })
  isPrivate: boolean;

  @Column({ name: 'attachment_id', type: 'integer', nullable: true })
  attachmentId: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;
}

/** The text a comment had before each edit. */
@Entity('bug_comment_revisions')
@Index('ix_bug_comment_revisions_comment', ['commentId', 'id'])
export class BugCommentRevisionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'comment_id', type: 'integer' })
  commentId: number;

  @ManyToOne(() => BugCommentEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'comment_id' })
  comment?: BugCommentEntity;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'edited_by_id', type: 'integer', nullable: true })
  editedById: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'edited_by_id' })
  editedBy?: UserEntity | null;

  @CreateDateColumn({ name: 'edited_at', type: 'timestamptz' })
  editedAt: Date;
}
