import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { UserEntity } from './user.entity';

/**
 * Site-wide roles. Membership roles (SIG lead, TOC member …) live with their features and are
 * contributed to the actor through RoleProviders; these are the ones granted by an admin.
 */
/** `toc`: stands in for TOC membership until governance brings its own bodies. */
export const SITE_ROLES = ['admin', 'security', 'triager', 'toc'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

@Entity('user_roles')
@Check('ck_user_roles_role', `role IN ('admin', 'security', 'triager', 'toc')`)
export class UserRoleEntity {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  role: SiteRole;

  @Column({ name: 'granted_by', type: 'integer', nullable: true })
  grantedBy: number | null;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;

  @ManyToOne('UserEntity', 'roles', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
}
