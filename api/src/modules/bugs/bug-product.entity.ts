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
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';

/**
 * A Bugzilla product ("OpenCloudOS", "OpenCloudOS Stream", "OpenCloudOS SIG"). When
 * `packageComponents` is set, every package is a component of it besides its general components.
 */
@Entity('bug_products')
// Names are unique ignoring case too (search and the admin pages look them up so); see migration 1764740000000.
@Index('uq_bug_products_name_lower', { synchronize: false })
export class BugProductEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('uq_bug_products_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'package_components', type: 'boolean', default: false })
  packageComponents: boolean;

  /** Markdown prefilled into the description when filing against this product. */
  @Column({ name: 'bug_template', type: 'text', default: '' })
  bugTemplate: string;

  @Column({ name: 'sort_key', type: 'integer', default: 0 })
  sortKey: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A release a bug can be reported against (8.6, 9.0, 9.2, 23 …). */
@Entity('bug_versions')
@Unique('uq_bug_versions_product_name', ['productId', 'name'])
export class BugVersionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'product_id', type: 'integer' })
  productId: number;

  @ManyToOne(() => BugProductEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'product_id' })
  product?: BugProductEntity;

  @Column({ type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'sort_key', type: 'integer', default: 0 })
  sortKey: number;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;
}

/** A component that is not a package (General, Install, or a SIG in "OpenCloudOS SIG"). */
@Entity('bug_components')
@Unique('uq_bug_components_product_name', ['productId', 'name'])
@Index('uq_bug_components_product_name_lower', { synchronize: false })
export class BugComponentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'product_id', type: 'integer' })
  productId: number;

  @ManyToOne(() => BugProductEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'product_id' })
  product?: BugProductEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The SIG whose triage queue receives this component's bugs. */
  @Column({ name: 'sig_id', type: 'integer', nullable: true })
  sigId: number | null;

  @ManyToOne(() => SigEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity | null;

  @Column({ name: 'default_assignee_id', type: 'integer', nullable: true })
  defaultAssigneeId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'default_assignee_id' })
  defaultAssignee?: UserEntity | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;
}
