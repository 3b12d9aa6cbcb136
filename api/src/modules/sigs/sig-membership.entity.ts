import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SigEntity } from './sig.entity';

export const SIG_ROLES = ['lead', 'maintainer', 'committer', 'member'] as const;
export type SigRole = (typeof SIG_ROLES)[number];
/** Higher ranks include what lower ones may do. */
export const SIG_ROLE_RANK: Record<SigRole, number> = { lead: 4, maintainer: 3, committer: 2, member: 1 };

@Entity('sig_memberships')
@Unique('uq_sig_memberships_sig_user', ['sigId', 'userId'])
@Check('ck_sig_memberships_role', `role IN ('lead', 'maintainer', 'committer', 'member')`)
@Index('ix_sig_memberships_user', ['userId'])
export class SigMembershipEntity {
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

  @Column({ type: 'varchar', length: 16 })
  role: SigRole;

  @Column({ name: 'granted_by', type: 'integer', nullable: true })
  grantedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'granted_by' })
  granter?: UserEntity | null;

  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' })
  grantedAt: Date;

  /** null: does not expire. Expired rows grant nothing and are replaced on the next grant. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** When the member was warned that the membership is about to expire (reset on renewal). */
  @Column({ name: 'expiry_warned_at', type: 'timestamptz', nullable: true })
  expiryWarnedAt: Date | null;
}
