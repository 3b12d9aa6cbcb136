import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserRoleEntity } from './user-role.entity';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Usernames, as the check constraint below enforces them. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9_-]{2,31}$/;

@Entity('users')
@Check('ck_users_locale', `locale IN ('zh-CN', 'en')`)
@Check('ck_users_username', `username ~ '^[a-z][a-z0-9_-]{2,31}$'`)
@Index('uq_users_username_lower', { synchronize: false })
@Index('uq_users_email_lower', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 32 })
  username: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100, nullable: true })
  displayName: string | null;

  /** null for accounts created through Gitee that never set a password. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'varchar', length: 8, default: 'en' })
  locale: Locale;

  @Index('uq_users_gitee_id', { unique: true, where: 'gitee_id IS NOT NULL' })
  @Column({ name: 'gitee_id', type: 'bigint', nullable: true })
  giteeId: string | null;

  @Column({ name: 'gitee_login', type: 'varchar', length: 100, nullable: true })
  giteeLogin: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @OneToMany(() => UserRoleEntity, (r) => r.user)
  roles?: UserRoleEntity[];
}
