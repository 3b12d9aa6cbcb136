import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate hints look for the summary's rare words in summaries and aliases only — the
 * weight-A part of bugs.search_vector. Asked as `search_vector @@ 'word:A'`, the GIN index cannot
 * check the weight, so every bug that has the word anywhere (comments included) is fetched and
 * rechecked: seconds at 1M bugs. This index holds the weight-A lexemes alone, so the same
 * question becomes `ts_filter(search_vector, '{a}') @@ 'word'`, answered by the index without a
 * recheck.
 *
 * The partial indexes serve the most common lists — a person's, a package's and a SIG's open bugs,
 * newest change first — without reading closed bugs at all.
 */
export class BugSearchTuning1764310000000 implements MigrationInterface {
  name = 'BugSearchTuning1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_bugs_summary_search ON bugs USING gin (ts_filter(search_vector, '{a}'))`);
    for (const [name, column] of [
      ['ix_bugs_open_assignee', 'assignee_id'],
      ['ix_bugs_open_package', 'package_id'],
      ['ix_bugs_open_sig', 'sig_id'],
    ])
      await queryRunner.query(
        `CREATE INDEX ${name} ON bugs (${column}, updated_at DESC, id DESC) WHERE status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['ix_bugs_open_sig', 'ix_bugs_open_package', 'ix_bugs_open_assignee'])
      await queryRunner.query(`DROP INDEX ${name}`);
    await queryRunner.query(`DROP INDEX ix_bugs_summary_search`);
  }
}
