import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate hints look their candidates up in separate index scans, each with a word every match
 * must have. `och_duplicate_query` ORs its pairs into one tsquery ('a' & 'b' | 'a' & 'c' | 'b' &
 * 'c'), in which no word is required: GIN then reads every posting of every word and tests the
 * whole query for each bug in any of them (6.2 ms for four words of 4,000–8,000 bugs each). As
 * 'a' & ('b' | 'c') and 'b' & 'c', each scan walks its first word's postings and skips through
 * the others' (3.1 ms). Pairs holding a word that stands alone are dropped: that word's own scan
 * finds their bugs already. Same words, same matches; `och_duplicate_query` still chooses them.
 */
export class DuplicateScans1764820000000 implements MigrationInterface {
  name = 'DuplicateScans1764820000000';

  async up(q: QueryRunner): Promise<void> {
    // och_duplicate_query's text is lexemes joined by ' | ' and ' & ' (a lexeme has no spaces).
    await q.query(`
      CREATE OR REPLACE FUNCTION och_duplicate_scans(
        summary text, total float8, solo_max int, common_share float8, partner_share float8)
      RETURNS tsquery[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        parts text[] := string_to_array(
          och_duplicate_query(summary, total, solo_max, common_share, partner_share)::text, ' | ');
        solos text[] := '{}';
        firsts text[] := '{}';
        partners text[] := '{}';
        scans tsquery[];
        part text;
        pair text[];
        k int;
      BEGIN
        IF parts IS NULL THEN
          RETURN NULL;
        END IF;
        FOREACH part IN ARRAY parts LOOP
          IF strpos(part, ' & ') = 0 THEN
            solos := solos || part;
          END IF;
        END LOOP;
        FOREACH part IN ARRAY parts LOOP
          CONTINUE WHEN strpos(part, ' & ') = 0;
          pair := string_to_array(part, ' & ');
          CONTINUE WHEN pair[1] = ANY(solos) OR pair[2] = ANY(solos);
          k := array_position(firsts, pair[1]);
          IF k IS NULL THEN
            firsts := firsts || pair[1];
            partners := partners || pair[2];
          ELSE
            partners[k] := partners[k] || ' | ' || pair[2];
          END IF;
        END LOOP;
        scans := solos::tsquery[];
        FOR k IN 1 .. coalesce(array_length(firsts, 1), 0) LOOP
          scans := scans || (firsts[k] || ' & ( ' || partners[k] || ' )')::tsquery;
        END LOOP;
        RETURN scans;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS och_duplicate_scans(text, float8, int, float8, float8)');
  }
}
