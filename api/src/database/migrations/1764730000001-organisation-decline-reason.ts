import { MigrationInterface, QueryRunner } from 'typeorm';

/** Why an application was declined before any nomination (spam, not an organisation …), shown to the applicant. */
export class OrganisationDeclineReason1764730000001 implements MigrationInterface {
  name = 'OrganisationDeclineReason1764730000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organisations" ADD "decline_reason" text NOT NULL DEFAULT ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organisations" DROP COLUMN "decline_reason"`);
  }
}
