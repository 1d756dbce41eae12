import type { MigrationInterface, QueryRunner } from "typeorm";

export class SignInSessions1795829973786 implements MigrationInterface {
    name = 'SignInSessions1795829973786'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."sign_in_method" AS ENUM('PASSWORD', 'GITHUB', 'AZURE_AD')`);
        await queryRunner.query(`CREATE TABLE "sign_in_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "auth_method" "public"."sign_in_method" NOT NULL, "ip" text, "user_agent" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "refresh_token_hash" bytea NOT NULL, CONSTRAINT "PK_8bd3b623fbd2bd1b7677abae97c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6db384256878b91bc69fb2162e" ON "sign_in_sessions"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_d33592519e5f1f7acd7762dcc8" ON "sign_in_sessions"  ("expires_at") `);
        await queryRunner.query(`ALTER TABLE "sign_in_sessions" ADD CONSTRAINT "FK_6db384256878b91bc69fb2162ef" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "sign_in_sessions" DROP CONSTRAINT "FK_6db384256878b91bc69fb2162ef"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d33592519e5f1f7acd7762dcc8"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6db384256878b91bc69fb2162e"`);
        await queryRunner.query(`DROP TABLE "sign_in_sessions"`);
        await queryRunner.query(`DROP TYPE "public"."sign_in_method"`);
    }

}
