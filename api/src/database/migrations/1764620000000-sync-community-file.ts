import { MigrationInterface, QueryRunner } from 'typeorm';

/** The community's packages.yaml as the sync workers last read and imported it. */
export class SyncCommunityFile1764620000000 implements MigrationInterface {
  name = 'SyncCommunityFile1764620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sync_community_files" ("key" character varying(300) NOT NULL, "sha" character varying(64), "applied_sha" character varying(64), "report" jsonb NOT NULL DEFAULT '{}', "checked_at" TIMESTAMP WITH TIME ZONE, "applied_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_sync_community_files" PRIMARY KEY ("key"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sync_community_files"`);
  }
}
