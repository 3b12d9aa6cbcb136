import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a build was first seen in its release tag, and per bug and release the moment its fix
 * was released (the reporter is told once, whatever the poll sees afterwards).
 */
export class SyncFixReleases1764710000000 implements MigrationInterface {
  name = 'SyncFixReleases1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "builds" ADD "tagged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "builds" SET "tagged_at" = "updated_at" WHERE cardinality("tags") > 0`);
    await queryRunner.query(
      `CREATE TABLE "sync_bug_fix_releases" ("bug_id" integer NOT NULL, "release" character varying(32) NOT NULL, "build_id" integer NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "notified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_sync_bug_fix_releases" PRIMARY KEY ("bug_id", "release"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "sync_bug_fix_releases" ADD CONSTRAINT "fk_sync_bug_fix_releases_bug" FOREIGN KEY ("bug_id") REFERENCES "bugs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sync_bug_fix_releases" ADD CONSTRAINT "fk_sync_bug_fix_releases_build" FOREIGN KEY ("build_id") REFERENCES "builds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_bug_fix_releases" DROP CONSTRAINT "fk_sync_bug_fix_releases_build"`);
    await queryRunner.query(`ALTER TABLE "sync_bug_fix_releases" DROP CONSTRAINT "fk_sync_bug_fix_releases_bug"`);
    await queryRunner.query(`DROP TABLE "sync_bug_fix_releases"`);
    await queryRunner.query(`ALTER TABLE "builds" DROP COLUMN "tagged_at"`);
  }
}
