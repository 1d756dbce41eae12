import type { MigrationInterface, QueryRunner } from "typeorm";

export class AuditLog1795831170531 implements MigrationInterface {
    name = 'AuditLog1795831170531'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."audit_outcome" AS ENUM('SUCCESS', 'DENIED', 'FAILED')`);
        await queryRunner.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_id" uuid, "actor_label" text, "auth_method" text, "action" text NOT NULL, "target_type" text, "target_id" text, "changes" jsonb NOT NULL DEFAULT '[]', "outcome" "public"."audit_outcome" NOT NULL, "error_code" text, "error_message" text, "ip" text, "user_agent" text, "correlation_id" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_log_not_success" ON "audit_log"  ("at", "id") WHERE "outcome" <> 'SUCCESS'`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_log_action" ON "audit_log"  ("action", "at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_log_target" ON "audit_log"  ("target_type", "target_id", "at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_log_actor" ON "audit_log"  ("actor_id", "at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_log_at_id" ON "audit_log"  ("at", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_at_id"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_actor"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_target"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_action"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_not_success"`);
        await queryRunner.query(`DROP TABLE "audit_log"`);
        await queryRunner.query(`DROP TYPE "public"."audit_outcome"`);
    }

}
