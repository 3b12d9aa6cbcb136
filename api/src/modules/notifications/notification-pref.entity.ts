import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A person's choice for one category of notifications (bugs have their own matrix,
 * bug_mail_prefs). No row = the default: in the app and by e-mail.
 */
@Entity('notification_prefs')
@Check('ck_notification_prefs_mode', `mode IN ('email', 'web', 'off')`)
export class NotificationPrefEntity {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category: string;

  @Column({ type: 'varchar', length: 8 })
  mode: 'email' | 'web' | 'off';
}
