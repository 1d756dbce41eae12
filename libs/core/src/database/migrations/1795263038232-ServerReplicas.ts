import type { MigrationInterface, QueryRunner } from "typeorm";

export class ServerReplicas1795263038232 implements MigrationInterface {
    name = 'ServerReplicas1795263038232'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "server_replicas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "server_id" uuid NOT NULL, "name" text NOT NULL, "transport" "public"."server_transport" NOT NULL, "command" text, "args" text array NOT NULL DEFAULT '{}', "cwd" text, "url" text, "env" jsonb NOT NULL DEFAULT '[]', "headers" jsonb NOT NULL DEFAULT '[]', "weight" integer NOT NULL DEFAULT '1', "priority" integer NOT NULL DEFAULT '0', "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_365245e92f3a3527b7d33b00cac" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_24089c23b056b6e2809568716d" ON "server_replicas"  ("server_id") `);
        await queryRunner.query(`CREATE TYPE "public"."load_balancing" AS ENUM('ROUND_ROBIN', 'WEIGHTED', 'LEAST_IN_FLIGHT')`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "load_balancing" "public"."load_balancing" NOT NULL DEFAULT 'ROUND_ROBIN'`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "retry_calls" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "weight" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "priority" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "health_check_interval_seconds" integer NOT NULL DEFAULT '30'`);
        await queryRunner.query(`ALTER TABLE "server_replicas" ADD CONSTRAINT "FK_24089c23b056b6e2809568716de" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "server_replicas" DROP CONSTRAINT "FK_24089c23b056b6e2809568716de"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "health_check_interval_seconds"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "priority"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "weight"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "retry_calls"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "load_balancing"`);
        await queryRunner.query(`DROP TYPE "public"."load_balancing"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_24089c23b056b6e2809568716d"`);
        await queryRunner.query(`DROP TABLE "server_replicas"`);
    }

}
