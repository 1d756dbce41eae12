import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Backups1795880000000 implements MigrationInterface {
  name = 'Backups1795880000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."backup_source" AS ENUM('MANUAL', 'SCHEDULED', 'UPLOADED', 'FOUND')`);
    await queryRunner.query(`CREATE TYPE "public"."backup_scope" AS ENUM('HUB', 'USER')`);
    // No foreign keys: the index of archives outlives the people named in it (and is not itself backed up).
    await queryRunner.query(
      `CREATE TABLE "backups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "file_name" text NOT NULL, "source" "public"."backup_source" NOT NULL, ` +
        `"scope" "public"."backup_scope" NOT NULL, "scope_user_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `"archived_at" TIMESTAMP WITH TIME ZONE NOT NULL, "size_bytes" bigint NOT NULL, "sha256" text NOT NULL, "manifest" jsonb NOT NULL, ` +
        `"verified_at" TIMESTAMP WITH TIME ZONE, "verify_ok" boolean, "verify_message" text, "restored_at" TIMESTAMP WITH TIME ZONE, "last_restore" jsonb, ` +
        `CONSTRAINT "UQ_backups_file_name" UNIQUE ("file_name"), CONSTRAINT "PK_backups" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_backups_created_at" ON "backups" ("created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_backups_created_at"`);
    await queryRunner.query(`DROP TABLE "backups"`);
    await queryRunner.query(`DROP TYPE "public"."backup_scope"`);
    await queryRunner.query(`DROP TYPE "public"."backup_source"`);
  }
}
