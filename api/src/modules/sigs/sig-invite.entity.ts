import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { SigRole } from './sig-membership.entity';
import { SigEntity } from './sig.entity';

export const INVITE_STATUSES = ['pending', 'accepted', 'declined', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

@Entity('sig_invites')
@Check('ck_sig_invites_status', `status IN ('pending', 'accepted', 'declined', 'revoked')`)
@Check('ck_sig_invites_role', `role IN ('lead', 'maintainer', 'committer', 'member')`)
@Index('uq_sig_invites_pending', ['sigId', 'userId'], { unique: true, where: `status = 'pending'` })
@Index('ix_sig_invites_user', ['userId'])
export class SigInviteEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  /** The invitee. */
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  role: SigRole;

  @Column({ name: 'invited_by', type: 'integer', nullable: true })
  invitedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by' })
  inviter?: UserEntity | null;

  @Column({ type: 'text', default: '' })
  message: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: InviteStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
