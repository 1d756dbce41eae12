import type { MigrationInterface, QueryRunner } from "typeorm";

export class Usage1795262252470 implements MigrationInterface {
    name = 'Usage1795262252470'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "usage_hourly" ("key_id" uuid NOT NULL, "server_id" uuid NOT NULL, "tool" text NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "server_slug" text NOT NULL, "calls" integer NOT NULL DEFAULT '0', "errors" integer NOT NULL DEFAULT '0', "total_latency_ms" double precision NOT NULL DEFAULT '0', "max_latency_ms" double precision NOT NULL DEFAULT '0', CONSTRAINT "PK_f18b0f2333380c47d7648fa4bb4" PRIMARY KEY ("key_id", "server_id", "tool", "hour"))`);
        await queryRunner.query(`CREATE INDEX "IDX_f8c46077e241f044db4ee4ce9e" ON "usage_hourly"  ("key_id", "hour") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_f8c46077e241f044db4ee4ce9e"`);
        await queryRunner.query(`DROP TABLE "usage_hourly"`);
    }

}
