import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Data keys wrapped under the master key, and the progress of key rotations. */
export class EncryptionKeys1795881000000 implements MigrationInterface {
  name = 'EncryptionKeys1795881000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "encryption_keys" ("id" text NOT NULL, "sealed_key" text, "state" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_encryption_keys" PRIMARY KEY ("id"), CONSTRAINT "CHK_encryption_keys_state" CHECK ("state" IN ('PENDING', 'CURRENT', 'PREVIOUS', 'RETIRED')), CONSTRAINT "CHK_encryption_keys_material" CHECK (("state" = 'RETIRED') = ("sealed_key" IS NULL)))`,
    );
    // At most one current data key, whatever races happen.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_encryption_keys_current" ON "encryption_keys" ("state") WHERE "state" = 'CURRENT'`);
    await queryRunner.query(
      `CREATE TABLE "key_rotations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key_id" text NOT NULL, "state" text NOT NULL, "columns" jsonb NOT NULL, "total" integer NOT NULL, "done" integer NOT NULL DEFAULT 0, "errors" integer NOT NULL DEFAULT 0, "last_error" text, "started_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_key_rotations" PRIMARY KEY ("id"), CONSTRAINT "FK_key_rotations_key" FOREIGN KEY ("key_id") REFERENCES "encryption_keys"("id"), CONSTRAINT "CHK_key_rotations_state" CHECK ("state" IN ('RUNNING', 'DONE', 'DONE_WITH_ERRORS')))`,
    );
    // One rotation at a time.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_key_rotations_running" ON "key_rotations" ("state") WHERE "state" = 'RUNNING'`);
    await queryRunner.query(`CREATE INDEX "IDX_key_rotations_started_at" ON "key_rotations" ("started_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "key_rotations"`);
    await queryRunner.query(`DROP TABLE "encryption_keys"`);
  }
}
