import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The pre-fetch state of the npm package of a stdio server installed from the marketplace catalog. */
export class ServerInstallations1795882000000 implements MigrationInterface {
  name = 'ServerInstallations1795882000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "installation_state" AS ENUM('QUEUED', 'RESOLVING', 'DOWNLOADING', 'READY', 'FAILED')`);
    await queryRunner.query(`CREATE TABLE "server_installations" (
      "server_id" uuid NOT NULL,
      "package_spec" text NOT NULL,
      "state" "installation_state" NOT NULL,
      "progress" integer NOT NULL DEFAULT 0,
      "fetched" integer NOT NULL DEFAULT 0,
      "error" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_server_installations" PRIMARY KEY ("server_id"),
      CONSTRAINT "FK_server_installations_server" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE
    )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "server_installations"`);
    await queryRunner.query(`DROP TYPE "installation_state"`);
  }
}
