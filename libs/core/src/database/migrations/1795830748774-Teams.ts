import type { MigrationInterface, QueryRunner } from "typeorm";

export class Teams1795830748774 implements MigrationInterface {
    name = 'Teams1795830748774'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "teams" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "slug" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_de8536da4945fe980f4a61900d3" UNIQUE ("slug"), CONSTRAINT "PK_7e5523774a38b08a6236d322403" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TYPE "public"."team_role" AS ENUM('MEMBER', 'OWNER')`);
        await queryRunner.query(`CREATE TABLE "team_members" ("team_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" "public"."team_role" NOT NULL DEFAULT 'MEMBER', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1d3c06a8217a8785e2af0ec4ab8" PRIMARY KEY ("team_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_c2bf4967c8c2a6b845dadfbf3d" ON "team_members"  ("user_id") `);
        await queryRunner.query(`CREATE TYPE "public"."shareable_type" AS ENUM('SERVER', 'GROUP')`);
        await queryRunner.query(`CREATE TYPE "public"."access_level" AS ENUM('VIEWER', 'EDITOR', 'OWNER')`);
        await queryRunner.query(`CREATE TABLE "resource_shares" ("resource_type" "public"."shareable_type" NOT NULL, "resource_id" uuid NOT NULL, "team_id" uuid NOT NULL, "level" "public"."access_level" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6e5010a22e1fa7d8f75175b6cce" PRIMARY KEY ("resource_type", "resource_id", "team_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5bbe622e4a37f974e59d0096db" ON "resource_shares"  ("team_id") `);
        await queryRunner.query(`ALTER TABLE "team_members" ADD CONSTRAINT "FK_fdad7d5768277e60c40e01cdcea" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "team_members" ADD CONSTRAINT "FK_c2bf4967c8c2a6b845dadfbf3d4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "resource_shares" ADD CONSTRAINT "FK_5bbe622e4a37f974e59d0096db7" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "resource_shares" DROP CONSTRAINT "FK_5bbe622e4a37f974e59d0096db7"`);
        await queryRunner.query(`ALTER TABLE "team_members" DROP CONSTRAINT "FK_c2bf4967c8c2a6b845dadfbf3d4"`);
        await queryRunner.query(`ALTER TABLE "team_members" DROP CONSTRAINT "FK_fdad7d5768277e60c40e01cdcea"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5bbe622e4a37f974e59d0096db"`);
        await queryRunner.query(`DROP TABLE "resource_shares"`);
        await queryRunner.query(`DROP TYPE "public"."access_level"`);
        await queryRunner.query(`DROP TYPE "public"."shareable_type"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_c2bf4967c8c2a6b845dadfbf3d"`);
        await queryRunner.query(`DROP TABLE "team_members"`);
        await queryRunner.query(`DROP TYPE "public"."team_role"`);
        await queryRunner.query(`DROP TABLE "teams"`);
    }

}
