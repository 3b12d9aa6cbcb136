import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The planner keeps the most common words of bugs.search_vector with their frequencies, 10 per
 * unit of the column's statistics target: at the default (100) it knew 1,000 words, and guessed
 * any other at 0.17% of bugs — 1,650 at 1M bugs for a word in no bug at all, about as many as for
 * two words found together in 4,000 (1,878). Search decides between walking an index in the
 * page's order and collecting every match from that guess (BugSearchService.search), and walking
 * for a word in no bug reads them all (measured: 3.9 s). With 4,000 words known, an unknown one is
 * guessed at ~380 bugs in a million and the pair at ~4,700, which RARE_MATCHES tells apart. The
 * price: planning a text search reads the bigger statistics (measured: +3–7% of PostgreSQL's CPU
 * per full-text search; 1,000 cost +8–12%), and ANALYZE samples 120,000 rows instead of 30,000.
 */
export class SearchVectorStatistics1764790000000 implements MigrationInterface {
  name = 'SearchVectorStatistics1764790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bugs ALTER COLUMN search_vector SET STATISTICS 400`);
    await q.query(`ANALYZE bugs`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bugs ALTER COLUMN search_vector SET STATISTICS -1`);
  }
}
