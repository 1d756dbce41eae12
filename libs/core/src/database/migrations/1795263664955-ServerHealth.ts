import type { MigrationInterface, QueryRunner } from "typeorm";

export class ServerHealth1795263664955 implements MigrationInterface {
    name = 'ServerHealth1795263664955'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."health_status" AS ENUM('HEALTHY', 'DEGRADED', 'DOWN')`);
        await queryRunner.query(`CREATE TABLE "server_health_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "server_id" uuid NOT NULL, "replica_id" uuid NOT NULL, "status" "public"."health_status" NOT NULL, "latency_ms" integer, "error" text, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b4c838d763713d1555976073a99" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_ad98a727ba4d8322e920c214f0" ON "server_health_checks"  ("server_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_4a8b750c364b1b8e6e71b7ba5e" ON "server_health_checks"  ("replica_id", "checked_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_4a8b750c364b1b8e6e71b7ba5e"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ad98a727ba4d8322e920c214f0"`);
        await queryRunner.query(`DROP TABLE "server_health_checks"`);
        await queryRunner.query(`DROP TYPE "public"."health_status"`);
    }

}
