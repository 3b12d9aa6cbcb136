import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SigEntity } from './sig.entity';

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'declined', 'withdrawn'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];

@Entity('sig_join_requests')
@Check('ck_sig_join_requests_status', `status IN ('pending', 'approved', 'declined', 'withdrawn')`)
@Index('uq_sig_join_requests_pending', ['sigId', 'userId'], { unique: true, where: `status = 'pending'` })
@Index('ix_sig_join_requests_sig', ['sigId', 'id'])
export class SigJoinRequestEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text', default: '' })
  message: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: JoinRequestStatus;

  @Column({ name: 'decided_by', type: 'integer', nullable: true })
  decidedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'varchar', length: 1000, nullable: true })
  decisionNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
