import { MigrationInterface, QueryRunner } from 'typeorm';

/** Memberships with an expiry get one warning a week before it, and can be renewed by their holder. */
export class MembershipRenewal1764210000000 implements MigrationInterface {
  name = 'MembershipRenewal1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sig_memberships" ADD "expiry_warned_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sig_memberships" DROP COLUMN "expiry_warned_at"`);
  }
}
