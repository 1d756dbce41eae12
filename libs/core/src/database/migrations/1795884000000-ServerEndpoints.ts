import type { MigrationInterface, QueryRunner } from 'typeorm';

const TRANSPORT_COLUMNS = `"transport", "command", "args", "cwd", "url", "env", "headers", "weight", "priority"`;

/**
 * Splits a server from how to reach it: `server_replicas` becomes `server_endpoints` (rows and ids kept) and gains
 * each server's own transport as its `primary` endpoint, whose id is the server's id. Sealed env/header values are
 * bound to that id (`server:<id>:…`), as are health history, routing rules' replica ids and metrics, so every stored
 * ciphertext and reference stays valid. The transport columns leave `mcp_servers`.
 */
export class ServerEndpoints1795884000000 implements MigrationInterface {
  name = 'ServerEndpoints1795884000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "server_replicas" RENAME TO "server_endpoints"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" RENAME CONSTRAINT "PK_365245e92f3a3527b7d33b00cac" TO "PK_server_endpoints"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" RENAME CONSTRAINT "FK_24089c23b056b6e2809568716de" TO "FK_server_endpoints_server"`);
    await queryRunner.query(`ALTER INDEX "IDX_24089c23b056b6e2809568716d" RENAME TO "IDX_server_endpoints_server"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" ADD "primary" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `INSERT INTO "server_endpoints" ("id", "server_id", "primary", "name", ${TRANSPORT_COLUMNS}, "enabled", "created_at", "updated_at")
       SELECT "id", "id", true, 'primary', ${TRANSPORT_COLUMNS}, true, "created_at", "updated_at" FROM "mcp_servers"`,
    );
    // The primary is the endpoint that has its server's id, and only it: one per server, named by the server's id.
    await queryRunner.query(`ALTER TABLE "server_endpoints" ADD CONSTRAINT "server_endpoints_primary_has_server_id" CHECK ("primary" = ("id" = "server_id"))`);
    for (const column of ['transport', 'command', 'args', 'cwd', 'url', 'env', 'headers', 'weight', 'priority']) {
      await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "${column}"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "mcp_servers" ADD "transport" "public"."server_transport", ADD "command" text, ADD "args" text array NOT NULL DEFAULT '{}',
         ADD "cwd" text, ADD "url" text, ADD "env" jsonb NOT NULL DEFAULT '[]', ADD "headers" jsonb NOT NULL DEFAULT '[]',
         ADD "weight" integer NOT NULL DEFAULT '1', ADD "priority" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `UPDATE "mcp_servers" s SET ("transport", "command", "args", "cwd", "url", "env", "headers", "weight", "priority") =
         (e."transport", e."command", e."args", e."cwd", e."url", e."env", e."headers", e."weight", e."priority")
       FROM "server_endpoints" e WHERE e."server_id" = s."id" AND e."primary"`,
    );
    // Fails (and the down() with it) if a server had no primary endpoint: there would be nothing to put back.
    await queryRunner.query(`ALTER TABLE "mcp_servers" ALTER COLUMN "transport" SET NOT NULL`);
    await queryRunner.query(`DELETE FROM "server_endpoints" WHERE "primary"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" DROP CONSTRAINT "server_endpoints_primary_has_server_id"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" DROP COLUMN "primary"`);
    await queryRunner.query(`ALTER INDEX "IDX_server_endpoints_server" RENAME TO "IDX_24089c23b056b6e2809568716d"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" RENAME CONSTRAINT "FK_server_endpoints_server" TO "FK_24089c23b056b6e2809568716de"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" RENAME CONSTRAINT "PK_server_endpoints" TO "PK_365245e92f3a3527b7d33b00cac"`);
    await queryRunner.query(`ALTER TABLE "server_endpoints" RENAME TO "server_replicas"`);
  }
}
