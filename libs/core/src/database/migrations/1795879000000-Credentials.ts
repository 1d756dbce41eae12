import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials (a person's, a team's, the hub's) that servers refer to as `${NAME}`, and per server whether one
 * upstream connection serves everybody (SHARED, as before) or each person gets their own (PER_USER).
 */
export class Credentials1795879000000 implements MigrationInterface {
  name = 'Credentials1795879000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "credential_scope" AS ENUM('USER', 'TEAM', 'HUB')`);
    await queryRunner.query(`CREATE TABLE "credentials" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" text NOT NULL,
      "scope" "credential_scope" NOT NULL,
      "user_id" uuid,
      "team_id" uuid,
      "value" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_credentials" PRIMARY KEY ("id"),
      CONSTRAINT "credentials_place" CHECK (("scope" = 'USER') = ("user_id" IS NOT NULL) AND ("scope" = 'TEAM') = ("team_id" IS NOT NULL)),
      CONSTRAINT "FK_credentials_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_credentials_team" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "credentials_user_name" ON "credentials" ("user_id", "name") WHERE "scope" = 'USER'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "credentials_team_name" ON "credentials" ("team_id", "name") WHERE "scope" = 'TEAM'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "credentials_hub_name" ON "credentials" ("name") WHERE "scope" = 'HUB'`);
    await queryRunner.query(`CREATE INDEX "IDX_credentials_team_id" ON "credentials" ("team_id")`);
    await queryRunner.query(`CREATE TYPE "server_credential_scope" AS ENUM('SHARED', 'PER_USER')`);
    await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "credential_scope" "server_credential_scope" NOT NULL DEFAULT 'SHARED'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "credential_scope"`);
    await queryRunner.query(`DROP TYPE "server_credential_scope"`);
    await queryRunner.query(`DROP TABLE "credentials"`);
    await queryRunner.query(`DROP TYPE "credential_scope"`);
  }
}
