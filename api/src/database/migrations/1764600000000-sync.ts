import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sync workers: packages kept in step with Gitee, each organisation's cursor, commit → bug links. */
export class Sync1764600000000 implements MigrationInterface {
  name = 'Sync1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sync_gitee_orgs" ("org" character varying(100) NOT NULL, "pass" integer NOT NULL DEFAULT '0', "state" character varying(16) NOT NULL DEFAULT 'idle', "next_page" integer, "total_pages" integer, "total_count" integer, "seen" integer NOT NULL DEFAULT '0', "complete" boolean NOT NULL DEFAULT true, "stats" jsonb NOT NULL DEFAULT '{}', "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "paused_until" TIMESTAMP WITH TIME ZONE, "lease_owner" character varying(64), "lease_until" TIMESTAMP WITH TIME ZONE, "last_error" character varying(500), CONSTRAINT "ck_sync_gitee_orgs_state" CHECK (state IN ('idle', 'running', 'paused', 'failed')), CONSTRAINT "pk_sync_gitee_orgs" PRIMARY KEY ("org"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sync_commit_bug_links" ("commit_sha" character varying(64) NOT NULL, "bug_id" integer NOT NULL, "repo" character varying(200) NOT NULL, "branch" character varying(100) NOT NULL, "url" character varying(500) NOT NULL, "fixes" boolean NOT NULL DEFAULT false, "commented_at" TIMESTAMP WITH TIME ZONE, "resolved" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_sync_commit_bug_links" PRIMARY KEY ("commit_sha", "bug_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_sync_commit_bug_links_bug" ON "sync_commit_bug_links" ("bug_id") `);
    await queryRunner.query(`ALTER TABLE "packages" ADD "gitee_id" bigint`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "gitee_org" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "default_branch" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "pushed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "details_pushed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "archived" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "removed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "gitee_pass" integer`);
    await queryRunner.query(`ALTER TABLE "packages" ADD "gitee_synced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_packages_gitee_id" ON "packages" ("gitee_id") WHERE gitee_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_packages_gitee_org" ON "packages" ("gitee_org", "gitee_pass") `);
    await queryRunner.query(
      `ALTER TABLE "sync_commit_bug_links" ADD CONSTRAINT "fk_sync_commit_bug_links_bug" FOREIGN KEY ("bug_id") REFERENCES "bugs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_commit_bug_links" DROP CONSTRAINT "fk_sync_commit_bug_links_bug"`);
    await queryRunner.query(`DROP INDEX "public"."ix_packages_gitee_org"`);
    await queryRunner.query(`DROP INDEX "public"."uq_packages_gitee_id"`);
    for (const column of [
      'gitee_synced_at',
      'gitee_pass',
      'removed_at',
      'archived',
      'details_pushed_at',
      'pushed_at',
      'default_branch',
      'gitee_org',
      'gitee_id',
    ])
      await queryRunner.query(`ALTER TABLE "packages" DROP COLUMN "${column}"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sync_commit_bug_links_bug"`);
    await queryRunner.query(`DROP TABLE "sync_commit_bug_links"`);
    await queryRunner.query(`DROP TABLE "sync_gitee_orgs"`);
  }
}
