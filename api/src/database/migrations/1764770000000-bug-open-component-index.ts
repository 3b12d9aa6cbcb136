import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A general component's open bugs, newest change first, like ix_bugs_open_package for packages:
 * `component:kernel` is the kernel package or the "Kernel" general component, and a search walks
 * each part down its own index (BugSearchService.search) instead of testing every open bug for
 * the OR. Only bugs filed against a general component are in it.
 */
export class BugOpenComponentIndex1764770000000 implements MigrationInterface {
  name = 'BugOpenComponentIndex1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS ix_bugs_open_component ON bugs (component_id, updated_at DESC, id DESC)
        WHERE status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS') AND component_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_bugs_open_component`);
  }
}
