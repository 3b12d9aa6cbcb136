import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SigEntity } from './sig.entity';

/**
 * What happened in a SIG, shown publicly on its page. Only public facts go in `details`
 * (usernames, roles, package names), never join-request messages or e-mail addresses.
 */
@Entity('sig_activity')
@Index('ix_sig_activity_sig', ['sigId', 'id'])
export class SigActivityEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'sig_id', type: 'integer' })
  sigId: number;

  @ManyToOne(() => SigEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sig_id' })
  sig?: SigEntity;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity | null;

  @Column({ type: 'varchar', length: 48 })
  kind: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
