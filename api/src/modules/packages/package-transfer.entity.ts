import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';
import { PackageEntity } from './package.entity';

export const TRANSFER_STATUSES = ['pending', 'completed', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/**
 * Moving a package to another SIG needs a lead of each side (or an admin/TOC member) to agree.
 * Rows are kept after they are decided: they are the package's ownership history.
 */
@Entity('package_transfers')
@Check('ck_package_transfers_status', `status IN ('pending', 'completed', 'rejected', 'cancelled')`)
@Check('ck_package_transfers_sides', `from_sig_id <> to_sig_id`)
@Index('uq_package_transfers_pending', ['packageId'], { unique: true, where: `status = 'pending'` })
@Index('ix_package_transfers_package', ['packageId', 'id'])
@Index('ix_package_transfers_from', ['fromSigId'])
@Index('ix_package_transfers_to', ['toSigId'])
export class PackageTransferEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'package_id', type: 'integer' })
  packageId: number;

  @ManyToOne(() => PackageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'package_id' })
  package?: PackageEntity;

  @Column({ name: 'from_sig_id', type: 'integer' })
  fromSigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'from_sig_id' })
  fromSig?: SigEntity;

  @Column({ name: 'to_sig_id', type: 'integer' })
  toSigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_sig_id' })
  toSig?: SigEntity;

  @Column({ name: 'requested_by', type: 'integer', nullable: true })
  requestedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by' })
  requester?: UserEntity | null;

  @Column({ type: 'varchar', length: 1000, default: '' })
  reason: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: TransferStatus;

  @Column({ name: 'from_approved_by', type: 'integer', nullable: true })
  fromApprovedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'from_approved_by' })
  fromApprover?: UserEntity | null;

  @Column({ name: 'from_approved_at', type: 'timestamptz', nullable: true })
  fromApprovedAt: Date | null;

  @Column({ name: 'to_approved_by', type: 'integer', nullable: true })
  toApprovedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'to_approved_by' })
  toApprover?: UserEntity | null;

  @Column({ name: 'to_approved_at', type: 'timestamptz', nullable: true })
  toApprovedAt: Date | null;

  @Column({ name: 'decided_by', type: 'integer', nullable: true })
  decidedBy: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
