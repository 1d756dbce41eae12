import type { MigrationInterface, QueryRunner } from "typeorm";

export class RoutingRules1795263632587 implements MigrationInterface {
    name = 'RoutingRules1795263632587'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "routing_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "name" text NOT NULL, "priority" integer NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "conditions" jsonb NOT NULL, "action" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b744c5cc71053ea4d3fc8a860c2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0ba395ca6f4f96d518a1b4a421" ON "routing_rules"  ("group_id", "priority") `);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD "tags" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "routing_rules" ADD CONSTRAINT "FK_d6f4480a5b7b41d6386411adb1d" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "routing_rules" DROP CONSTRAINT "FK_d6f4480a5b7b41d6386411adb1d"`);
        await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "tags"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0ba395ca6f4f96d518a1b4a421"`);
        await queryRunner.query(`DROP TABLE "routing_rules"`);
    }

}
