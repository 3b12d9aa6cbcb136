import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product and general component names are unique ignoring case, as in Bugzilla: searches, the
 * Bugzilla REST API and the admin pages find them by lower(name), so "opencloudos" next to
 * "OpenCloudOS" would make every such lookup ambiguous.
 */
export class BugNamesIgnoreCase1764740000000 implements MigrationInterface {
  name = 'BugNamesIgnoreCase1764740000000';

  async up(q: QueryRunner): Promise<void> {
    // Names that differ only in case would fail the indexes with a bare unique violation: say
    // which ones, so that whoever runs the migration can rename them and run it again.
    const clashes: { what: string }[] = await q.query(
      `SELECT 'product ' || string_agg('"' || name || '"', ' / ' ORDER BY name) AS what
         FROM bug_products GROUP BY lower(name) HAVING count(*) > 1
       UNION ALL
       SELECT 'components of ' || p.name || ': ' || string_agg('"' || c.name || '"', ' / ' ORDER BY c.name)
         FROM bug_components c JOIN bug_products p ON p.id = c.product_id
        GROUP BY p.name, c.product_id, lower(c.name) HAVING count(*) > 1`,
    );
    if (clashes.length)
      throw new Error(
        `Product and component names must differ in more than case; rename one of each of these (UPDATE bug_products / bug_components SET name = …) and migrate again: ${clashes.map((c) => c.what).join('; ')}`,
      );
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
