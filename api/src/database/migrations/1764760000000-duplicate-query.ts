import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate hints choose their words in the database (`och_duplicate_query`), so that choosing
 * them, finding the candidates and following their duplicate chains are one statement instead of
 * three round trips. The tsquery is built from the summary's own lexemes through the tsquery
 * type's input: `to_tsquery` parsed `'rust-tirpc'` again into the phrase `rust-tirpc <-> rust <->
 * tirpc`, and GIN then read the 30,000 bugs of `rust` to find the 97 of `rust-tirpc`. Pairs of
 * words that always come together are not pairs: `登录 & 录失` handed over the 4,000 bugs about a
 * failed login to be sorted for the newest 300.
 */
export class DuplicateQuery1764760000000 implements MigrationInterface {
  name = 'DuplicateQuery1764760000000';

  async up(q: QueryRunner): Promise<void> {
    // One lexeme as tsquery input: quoted, with quotes doubled and backslashes escaped.
    await q.query(`
      CREATE OR REPLACE FUNCTION och_lexeme(term text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT '''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || ''''
      $$`);
    // Two words that come together say no more than one of them: a hyphenated word and its parts
    // (python3-pip, pip), overlapping bigrams of one Chinese run (登录, 录失: "登录失败" has both).
    await q.query(`
      CREATE OR REPLACE FUNCTION och_terms_overlap(a text, b text) RETURNS boolean
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT strpos(a, b) > 0 OR strpos(b, a) > 0
            OR (length(a) = 2 AND length(b) = 2 AND octet_length(a) >= 6 AND octet_length(b) >= 6
                AND (right(a, 1) = left(b, 1) OR right(b, 1) = left(a, 1)))
      $$`);
    // The rules (see BugSearchService.duplicates): the summary's rarest words by bug_term_stats;
    // words in more than common_share of all bugs say nothing; candidates have two of the four
    // rarest words, or one word in at most solo_max bugs; a lone distinctive word that is not rare
    // enough pairs with up to three of the next rarest words below partner_share instead.
    await q.query(`
      CREATE OR REPLACE FUNCTION och_duplicate_query(
        summary text, total float8, solo_max int, common_share float8, partner_share float8)
      RETURNS tsquery LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        terms text[];
        ndocs int[];
        common_above float8 := greatest(2000, total * common_share);
        useful text[] := '{}';
        useful_n int[] := '{}';
        unknown text[] := '{}';
        known int := 0;
        parts text[] := '{}';
        lone text;
        i int;
        j int;
      BEGIN
        SELECT array_agg(t.term ORDER BY t.nd, length(t.term) DESC), array_agg(t.nd ORDER BY t.nd, length(t.term) DESC)
          INTO terms, ndocs
          FROM (SELECT w.term, coalesce(s.ndoc, 0) AS nd
                  FROM (SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple', och_cjk_split(summary)))) AS term) w
                  LEFT JOIN bug_term_stats s ON s.term = w.term
                 WHERE length(w.term) > 1
                 ORDER BY 2, length(w.term) DESC LIMIT 12) t;
        IF terms IS NULL THEN
          RETURN NULL;
        END IF;
        FOR i IN 1 .. array_length(terms, 1) LOOP
          IF ndocs[i] > 0 AND ndocs[i] <= common_above THEN
            -- (a word that comes with a rarer one already kept adds nothing)
            CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(useful) u WHERE och_terms_overlap(u, terms[i]));
            useful := useful || terms[i];
            useful_n := useful_n || ndocs[i];
            known := known + 1;
          ELSIF ndocs[i] = 0 THEN
            unknown := unknown || terms[i];
          END IF;
        END LOOP;
        -- (with no statistics at all, e.g. a new instance, the four longest words)
        useful := (useful || unknown)[1 : CASE WHEN known > 0 THEN greatest(2, least(4, known)) ELSE 4 END];
        IF coalesce(array_length(useful, 1), 0) = 0 THEN
          RETURN NULL;
        END IF;
        IF known = 1 AND useful_n[1] > solo_max THEN
          lone := och_lexeme(useful[1]);
          FOR i IN 1 .. array_length(terms, 1) LOOP
            EXIT WHEN array_length(parts, 1) = 3;
            IF ndocs[i] > common_above AND ndocs[i] <= total * partner_share AND NOT och_terms_overlap(useful[1], terms[i]) THEN
              parts := parts || ('(' || lone || ' & ' || och_lexeme(terms[i]) || ')');
            END IF;
          END LOOP;
        END IF;
        IF coalesce(array_length(parts, 1), 0) = 0 THEN
          FOR i IN 1 .. least(known, array_length(useful, 1)) LOOP
            IF useful_n[i] <= solo_max THEN
              parts := parts || och_lexeme(useful[i]);
            END IF;
          END LOOP;
          FOR i IN 1 .. array_length(useful, 1) LOOP
            FOR j IN i + 1 .. array_length(useful, 1) LOOP
              parts := parts || ('(' || och_lexeme(useful[i]) || ' & ' || och_lexeme(useful[j]) || ')');
            END LOOP;
          END LOOP;
          IF array_length(useful, 1) = 1 THEN
            parts := parts || och_lexeme(useful[1]);
          END IF;
        END IF;
        RETURN array_to_string(parts, ' | ')::tsquery;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS och_duplicate_query(text, float8, int, float8, float8)`);
    await q.query(`DROP FUNCTION IF EXISTS och_lexeme(text)`);
    await q.query(`DROP FUNCTION IF EXISTS och_terms_overlap(text, text)`);
  }
}
