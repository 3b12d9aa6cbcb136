import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product and general component names are unique ignoring case, as in Bugzilla: searches, the
 * Bugzilla REST API and the admin pages find them by lower(name), so "opencloudos" next to
 * "OpenCloudOS" would make every such lookup ambiguous.
 */
export class BugNamesIgnoreCase1764740000000 implements MigrationInterface {
  name = 'BugNamesIgnoreCase1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX "uq_bug_products_name_lower" ON "bug_products" (lower("name"))`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_bug_components_product_name_lower" ON "bug_components" ("product_id", lower("name"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_bug_components_product_name_lower"`);
    await q.query(`DROP INDEX "uq_bug_products_name_lower"`);
  }
}
