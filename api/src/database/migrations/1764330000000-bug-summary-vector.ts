import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A small tsvector of the summary and aliases beside the full one (which holds every public
 * comment). Duplicate hints and relevance ranking only need the summary, and reading the full
 * vector meant de-TOASTing kilobytes per candidate: at 1M bugs that, not finding the candidates,
 * was most of their time. It replaces the expression index on the weight-A part of the full
 * vector, which still had to read the full vector to return a row.
 */
export class BugSummaryVector1764330000000 implements MigrationInterface {
  name = 'BugSummaryVector1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bugs" ADD "summary_vector" tsvector`);
    await queryRunner.query(
      `UPDATE bugs b SET summary_vector = to_tsvector('simple', och_cjk_split(b.summary || ' ' || coalesce(
         (SELECT string_agg(a.alias, ' ') FROM bug_aliases a WHERE a.bug_id = b.id), '')))`,
    );
    await queryRunner.query(`CREATE INDEX ix_bugs_summary_vector ON bugs USING gin (summary_vector)`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_bugs_summary_search`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_bugs_summary_search ON bugs USING gin (ts_filter(search_vector, '{a}'))`);
    await queryRunner.query(`DROP INDEX ix_bugs_summary_vector`);
    await queryRunner.query(`ALTER TABLE "bugs" DROP COLUMN "summary_vector"`);
  }
}
