import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditorRole1795829811297 implements MigrationInterface {
  name = 'AuditorRole1795829811297';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."user_role" ADD VALUE IF NOT EXISTS 'AUDITOR'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: rebuild the type without it (auditors become members).
    await queryRunner.query(`UPDATE "users" SET "role" = 'MEMBER' WHERE "role" = 'AUDITOR'`);
    await queryRunner.query(`ALTER TYPE "public"."user_role" RENAME TO "user_role_old"`);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('ADMIN', 'MEMBER')`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" TYPE "public"."user_role" USING "role"::text::"public"."user_role"`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT 'MEMBER'`);
    await queryRunner.query(`DROP TYPE "public"."user_role_old"`);
  }
}
