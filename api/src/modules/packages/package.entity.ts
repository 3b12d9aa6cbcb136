import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SigEntity } from '../sigs/sig.entity';

/** Gitee repository names under src-opencloudos-rpms: what a package is called everywhere. */
export const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** A source package. Every package belongs to exactly one SIG (NOT NULL foreign key). */
@Entity('packages')
@Check('ck_packages_name', `name ~ '^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$'`)
@Index('ix_packages_sig', ['sigId', 'id'])
export class PackageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('uq_packages_name', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'upstream_url', type: 'varchar', length: 500, nullable: true })
  upstreamUrl: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  branches: string[];

  @Column({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  /** Gitee logins that review this package's changes, besides the SIG's reviewers. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reviewers: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
