import { MigrationInterface, QueryRunner } from 'typeorm';
import { DuplicateQuery1764760000000 } from './1764760000000-duplicate-query';

/**
 * Duplicate hints: two more cases of words that say one thing, and summaries whose words are all
 * fairly common.
 *
 * - Bigrams of one Chinese run that are found in as many bugs (within 5%) are one phrase
 *   (软件包缺失: 件包 and 缺失, 8,364 bugs each), not two words: their pair handed over all 8,364
 *   bugs to be fetched and sorted for the newest 300 (the bench's dearest hint, 30 ms alone).
 *   Bigrams of one run with different counts stay two words (报错 and 桌面 in 报错支持桌面环境).
 * - A summary with no distinctive word ("on log message in after …") searched for its one word
 *   unknown to the statistics alone, and found nothing; it now pairs its two rarest words that are
 *   not glue words (log & message), as a lone distinctive word already did.
 */
export class DuplicateQueryPhrases1764810000000 implements MigrationInterface {
  name = 'DuplicateQueryPhrases1764810000000';

  async up(q: QueryRunner): Promise<void> {
    // Loops over arrays rather than EXISTS (SELECT … unnest(…)): each such subquery is an executor
    // start-up, and with a dozen terms they made up most of the function's 0.8–2.2 ms (measured;
    // now 0.2–0.3 ms).
    await q.query(`
      CREATE OR REPLACE FUNCTION och_duplicate_query(
        summary text, total float8, solo_max int, common_share float8, partner_share float8)
      RETURNS tsquery LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        terms text[];
        ndocs int[];
        runs text[];
        run_of int[] := '{}';
        common_above float8 := greatest(2000, total * common_share);
        useful text[] := '{}';
        useful_n int[] := '{}';
        useful_run int[] := '{}';
        middle text[] := '{}';
        unknown text[] := '{}';
        known int := 0;
        parts text[] := '{}';
        lone text;
        together boolean;
        r int;
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
        -- the run of three or more CJK characters each term comes from, if any
        runs := ARRAY(SELECT m[1] FROM regexp_matches(summary,
          '[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af]{3,}', 'g') m);
        FOR i IN 1 .. array_length(terms, 1) LOOP
          run_of := run_of || NULL::int;
          FOR r IN 1 .. coalesce(array_length(runs, 1), 0) LOOP
            IF strpos(runs[r], terms[i]) > 0 THEN
              run_of[i] := r;
              EXIT;
            END IF;
          END LOOP;
        END LOOP;
        FOR i IN 1 .. array_length(terms, 1) LOOP
          IF ndocs[i] > 0 AND ndocs[i] <= common_above THEN
            -- A word that comes with a rarer one already kept adds nothing: its part (python3-pip,
            -- pip), an overlapping bigram (登录, 录失), or a bigram of the same run found in as many
            -- bugs (件包, 缺失: one phrase).
            together := false;
            FOR j IN 1 .. coalesce(array_length(useful, 1), 0) LOOP
              IF och_terms_overlap(useful[j], terms[i])
                 OR (useful_run[j] = run_of[i] AND abs(useful_n[j] - ndocs[i]) <= greatest(useful_n[j], ndocs[i]) / 20) THEN
                together := true;
                EXIT;
              END IF;
            END LOOP;
            CONTINUE WHEN together;
            useful := useful || terms[i];
            useful_n := useful_n || ndocs[i];
            useful_run := useful_run || run_of[i];
            known := known + 1;
          ELSIF ndocs[i] = 0 THEN
            unknown := unknown || terms[i];
          ELSIF ndocs[i] <= total * partner_share THEN
            together := false;
            FOR j IN 1 .. coalesce(array_length(middle, 1), 0) LOOP
              IF och_terms_overlap(middle[j], terms[i]) THEN
                together := true;
                EXIT;
              END IF;
            END LOOP;
            CONTINUE WHEN together;
            middle := middle || terms[i];
          END IF;
        END LOOP;
        IF known = 0 THEN
          -- nothing distinctive: the two rarest words that are not glue words, in pairs (never
          -- one alone: "log" would hand over 18,000 bugs)
          useful := (middle[1 : 2] || unknown)[1 : 4];
          IF array_length(useful, 1) < 2 THEN
            useful := unknown;
          END IF;
        ELSE
          -- (with no statistics at all, e.g. a new instance, the four longest words)
          useful := (useful || unknown)[1 : greatest(2, least(4, known))];
        END IF;
        IF coalesce(array_length(useful, 1), 0) = 0 THEN
          RETURN NULL;
        END IF;
        IF known = 1 AND useful_n[1] > solo_max THEN
          lone := och_lexeme(useful[1]);
          FOR i IN 1 .. coalesce(array_length(middle, 1), 0) LOOP
            EXIT WHEN array_length(parts, 1) = 3;
            IF NOT och_terms_overlap(useful[1], middle[i]) THEN
              parts := parts || ('(' || lone || ' & ' || och_lexeme(middle[i]) || ')');
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
    await new DuplicateQuery1764760000000().up(q);
  }
}
