import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Bugzilla importer's map from a source bug to the local bug it became. */
export class BugzillaImport1764320000000 implements MigrationInterface {
  name = 'BugzillaImport1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "bug_imports" ("source" text NOT NULL, "source_bug_id" integer NOT NULL, "bug_id" integer NOT NULL, "last_change_time" TIMESTAMP WITH TIME ZONE NOT NULL, "history_count" integer NOT NULL DEFAULT '0', "dupe_of_source" integer, "depends_on_source" integer array NOT NULL DEFAULT '{}', "blocks_source" integer array NOT NULL DEFAULT '{}', "pending_refs" boolean NOT NULL DEFAULT false, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_bug_imports" PRIMARY KEY ("source", "source_bug_id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_bug_imports_bug" ON "bug_imports" ("bug_id") `);
    await queryRunner.query(
      `ALTER TABLE "bug_imports" ADD CONSTRAINT "fk_bug_imports_bug" FOREIGN KEY ("bug_id") REFERENCES "bugs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bug_imports"`);
  }
}
