import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search words match as prefixes through the full-text index (`och_prefix_query('hotplug')` is
 * `'hotplug':*`; of a hyphenated word only the whole word is a prefix — `'php-regex-devel':* <->
 * 'php' <-> 'regex' <-> 'devel'` — as GIN collects every bug of a prefix such as `devel:*`), replacing the substring test on summaries through pg_trgm, which read the long
 * posting lists of every common trigram of the word. Packages are found by lower-cased name when a
 * search names a component.
 */
export class SearchWordPrefix1764750000000 implements MigrationInterface {
  name = 'SearchWordPrefix1764750000000';

  async up(q: QueryRunner): Promise<void> {
    // IMMUTABLE SQL: inlined, and folded to a constant tsquery when the planner knows the term.
    // The text goes back through the tsquery type's input, not to_tsquery, which would parse the
    // hyphenated word again and make each of its parts a prefix too.
    await q.query(`
      CREATE OR REPLACE FUNCTION och_prefix_query(term text) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT regexp_replace(plainto_tsquery('simple', term)::text, '''( |$)', ''':*\\1')::tsquery
      $$`);
    await q.query(`CREATE INDEX IF NOT EXISTS ix_packages_name_lower ON packages (lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_packages_name_lower`);
    await q.query(`DROP FUNCTION IF EXISTS och_prefix_query(text)`);
  }
}
