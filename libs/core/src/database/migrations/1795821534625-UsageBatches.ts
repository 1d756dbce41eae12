import type { MigrationInterface, QueryRunner } from "typeorm";

export class UsageBatches1795821534625 implements MigrationInterface {
    name = 'UsageBatches1795821534625'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "usage_batches" ("id" uuid NOT NULL, "calls" integer NOT NULL, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_677369db0315027639586fc4bd2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_085f4a209d8f552c05aeee1361" ON "usage_batches"  ("applied_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_085f4a209d8f552c05aeee1361"`);
        await queryRunner.query(`DROP TABLE "usage_batches"`);
    }

}
