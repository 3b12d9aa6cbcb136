import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BugEntity } from '../bugs/bug.entity';

/**
 * Which local bug an imported bug became. `source` is the Bugzilla REST URL, so two instances
 * never mix. References to bugs not imported yet (a duplicate of, depends on, blocks) are kept as
 * source ids with `pendingRefs` set until a later pass or run can resolve them.
 */
@Entity('bug_imports')
@Index('uq_bug_imports_bug', ['bugId'], { unique: true })
export class BugImportEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_bug_imports' })
  source: string;

  @PrimaryColumn({ name: 'source_bug_id', type: 'integer', primaryKeyConstraintName: 'pk_bug_imports' })
  sourceBugId: number;

  @Column({ name: 'bug_id', type: 'integer' })
  bugId: number;

  @ManyToOne(() => BugEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'bug_id', foreignKeyConstraintName: 'fk_bug_imports_bug' })
  bug?: BugEntity;

  /** Bugzilla's last_change_time when last imported: a re-run skips bugs where it is unchanged. */
  @Column({ name: 'last_change_time', type: 'timestamptz' })
  lastChangeTime: Date;

  /** History entries imported so far; Bugzilla's history only grows, so a re-run appends the rest. */
  @Column({ name: 'history_count', type: 'integer', default: 0 })
  historyCount: number;

  @Column({ name: 'dupe_of_source', type: 'integer', nullable: true })
  dupeOfSource: number | null;

  @Column({ name: 'depends_on_source', type: 'integer', array: true, default: () => "'{}'" })
  dependsOnSource: number[];

  @Column({ name: 'blocks_source', type: 'integer', array: true, default: () => "'{}'" })
  blocksSource: number[];

  @Column({ name: 'pending_refs', type: 'boolean', default: false })
  pendingRefs: boolean;

  @Column({ name: 'imported_at', type: 'timestamptz', default: () => 'now()' })
  importedAt: Date;
}
