import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallLog1795840000000 implements MigrationInterface {
  name = 'CallLog1795840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign keys: the log outlives removed keys, groups and servers (retention deletes it). Written once per
    // agent call, so kept cheap to insert (embedded PGlite runs on the hub's thread): a sequential id, two indexes.
    await queryRunner.query(`CREATE TABLE "call_log" (
      "id" bigint GENERATED ALWAYS AS IDENTITY,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "key_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "group_id" uuid,
      "server_id" uuid,
      "replica_id" uuid,
      "method" text NOT NULL,
      "name" text,
      "outcome" text NOT NULL,
      "latency_ms" double precision NOT NULL,
      "error" text,
      "correlation_id" text,
      "arguments" text,
      "result" text,
      CONSTRAINT "PK_call_log" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_call_log_at" ON "call_log" ("at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_call_log_user_at" ON "call_log" ("user_id", "at", "id")`);
    await queryRunner.query(`CREATE TABLE "call_captures" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "target_kind" text NOT NULL,
      "target_id" uuid NOT NULL,
      "enabled_by" uuid NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_call_captures" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_call_captures_target" UNIQUE ("target_kind", "target_id"),
      CONSTRAINT "CHK_call_captures_kind" CHECK ("target_kind" IN ('KEY', 'GROUP')))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "call_captures"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_call_log_user_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_call_log_at"`);
    await queryRunner.query(`DROP TABLE "call_log"`);
  }
}
