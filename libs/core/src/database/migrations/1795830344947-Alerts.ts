import type { MigrationInterface, QueryRunner } from "typeorm";

export class Alerts1795830344947 implements MigrationInterface {
    name = 'Alerts1795830344947'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."notification_channel_kind" AS ENUM('WEBHOOK')`);
        await queryRunner.query(`CREATE TYPE "public"."webhook_format" AS ENUM('GENERIC', 'SLACK', 'TEAMS')`);
        await queryRunner.query(`CREATE TYPE "public"."notification_event_type" AS ENUM('SERVER_HEALTH_CHANGED', 'KEY_QUOTA_NEAR', 'KEY_QUOTA_EXCEEDED', 'UPSTREAM_FAILURES')`);
        await queryRunner.query(`CREATE TABLE "notification_channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "name" text NOT NULL, "kind" "public"."notification_channel_kind" NOT NULL DEFAULT 'WEBHOOK', "format" "public"."webhook_format" NOT NULL DEFAULT 'GENERIC', "sealed_url" text NOT NULL, "url_origin" text NOT NULL, "sealed_secret" text NOT NULL, "events" "public"."notification_event_type" array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3bc0cb5b60e8659f5fc859b2af0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_ba06001aecf95d8acc6c35c92c" ON "notification_channels"  ("owner_id") `);
        await queryRunner.query(`CREATE TYPE "public"."notification_delivery_status" AS ENUM('PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED')`);
        await queryRunner.query(`CREATE TABLE "notification_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel_id" uuid NOT NULL, "event_type" text NOT NULL, "event" jsonb NOT NULL, "status" "public"."notification_delivery_status" NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "response_status" integer, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e21616c6c5b1cccb1f92c78f40" ON "notification_deliveries"  ("channel_id", "created_at", "id") `);
        await queryRunner.query(`ALTER TABLE "notification_channels" ADD CONSTRAINT "FK_ba06001aecf95d8acc6c35c92c6" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD CONSTRAINT "FK_cb8fc3f1c2debe694670bc9d655" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP CONSTRAINT "FK_cb8fc3f1c2debe694670bc9d655"`);
        await queryRunner.query(`ALTER TABLE "notification_channels" DROP CONSTRAINT "FK_ba06001aecf95d8acc6c35c92c6"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e21616c6c5b1cccb1f92c78f40"`);
        await queryRunner.query(`DROP TABLE "notification_deliveries"`);
        await queryRunner.query(`DROP TYPE "public"."notification_delivery_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ba06001aecf95d8acc6c35c92c"`);
        await queryRunner.query(`DROP TABLE "notification_channels"`);
        await queryRunner.query(`DROP TYPE "public"."notification_event_type"`);
        await queryRunner.query(`DROP TYPE "public"."webhook_format"`);
        await queryRunner.query(`DROP TYPE "public"."notification_channel_kind"`);
    }

}
