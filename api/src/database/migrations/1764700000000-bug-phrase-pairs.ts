import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phrase searches ("null pointer", and every Chinese term of three or more characters, which is
 * a phrase of CJK bigrams) were answered by GIN with the phrase's words, each of them common, and
 * then a position check in each candidate's whole search vector: 40,000–140,000 candidates at 1M
 * bugs, about a second per search. This table holds, per bug, every pair of adjacent lexemes of
 * its search vector ('null pointer', '升级 级失') as lexemes of their own, GIN-indexed: a phrase's
 * pairs are rare when the phrase is, so the index hands over the few bugs that can hold it and the
 * position check runs on those only. The pairs are a necessary condition; the search still checks
 * the phrase itself on bugs.search_vector.
 *
 * Kept beside `bugs` rather than in it so that the 1M-row bugs table is not rewritten, and kept up
 * to date by a trigger on bugs.search_vector, so every writer (service, importer, seeds) is covered.
 * Bulk loads that disable triggers (the bench seed) fill it themselves.
 */
export class BugPhrasePairs1764700000000 implements MigrationInterface {
  name = 'BugPhrasePairs1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Adjacent positions p, p + 1 of a tsvector, as 'left right' lexemes (too long pairs left out:
    // a lexeme is at most 2 kB).
    await queryRunner.query(`CREATE FUNCTION och_word_pairs(v tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(v)) a
    JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(v)) b ON b.p = a.p + 1
   WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2000
$$`);
    // The pairs a phrase needs, AND-ed, or NULL when the phrase is a single lexeme.
    await queryRunner.query(`CREATE FUNCTION och_pair_query(term text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''', ' & ')::tsquery
    FROM unnest(tsvector_to_array(och_word_pairs(to_tsvector('simple', och_cjk_split(term))))) AS l
$$`);
    await queryRunner.query(
      `CREATE TABLE bug_search_pairs (bug_id integer PRIMARY KEY REFERENCES bugs (id) ON DELETE CASCADE, pairs tsvector NOT NULL)`,
    );
    await queryRunner.query(`CREATE FUNCTION och_bug_search_pairs_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bug_search_pairs (bug_id, pairs) VALUES (NEW.id, och_word_pairs(NEW.search_vector))
  ON CONFLICT (bug_id) DO UPDATE SET pairs = excluded.pairs;
  RETURN NULL;
END
$$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_bugs_search_pairs_insert AFTER INSERT ON bugs FOR EACH ROW EXECUTE FUNCTION och_bug_search_pairs_sync()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_bugs_search_pairs_update AFTER UPDATE OF search_vector ON bugs FOR EACH ROW
         WHEN (NEW.search_vector IS DISTINCT FROM OLD.search_vector) EXECUTE FUNCTION och_bug_search_pairs_sync()`,
    );
    // Existing bugs (minutes at 1M bugs), then the index, built once over all of them.
    await queryRunner.query(
      `INSERT INTO bug_search_pairs (bug_id, pairs) SELECT id, och_word_pairs(search_vector) FROM bugs`,
    );
    // (GIN builds in memory: the default 64 MB makes it merge runs for minutes at 1M bugs)
    await queryRunner.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await queryRunner.query(`CREATE INDEX ix_bug_search_pairs ON bug_search_pairs USING gin (pairs)`);
    await queryRunner.query(`ANALYZE bug_search_pairs`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_bugs_search_pairs_update ON bugs`);
    await queryRunner.query(`DROP TRIGGER tr_bugs_search_pairs_insert ON bugs`);
    await queryRunner.query(`DROP FUNCTION och_bug_search_pairs_sync()`);
    await queryRunner.query(`DROP TABLE bug_search_pairs`);
    await queryRunner.query(`DROP FUNCTION och_pair_query(text)`);
    await queryRunner.query(`DROP FUNCTION och_word_pairs(tsvector)`);
  }
}
