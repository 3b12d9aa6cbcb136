import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * One acceptance of one text of the contributor licence agreement: who, when, which version and
 * the SHA-256 of the exact text shown, so a changed text is a different agreement even when its
 * version was not raised. Rows are never changed; signing a new text adds a row.
 */
@Entity('cla_signatures')
@Unique('uq_cla_signatures_text', ['userId', 'version', 'textSha256'])
@Check('ck_cla_signatures_sha', `text_sha256 ~ '^[0-9a-f]{64}$'`)
@Index('ix_cla_signatures_user', ['userId', 'signedAt'])
export class ClaSignatureEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column({ name: 'text_sha256', type: 'char', length: 64 })
  textSha256: string;

  /** The name the person typed as their signature (their legal name). */
  @Column({ name: 'full_name', type: 'varchar', length: 100 })
  fullName: string;

  @Column({ name: 'signed_at', type: 'timestamptz', default: () => 'now()' })
  signedAt: Date;
}
