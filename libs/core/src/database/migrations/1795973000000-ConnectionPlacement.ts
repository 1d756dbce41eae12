import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the hubs' connection to a server lives (several hubs): every hub, or one hub the others forward to.
 * Existing stdio servers move to ONE_HUB: a process's state is then the same whichever hub an agent's call lands on.
 */
export class ConnectionPlacement1795973000000 implements MigrationInterface {
  name = 'ConnectionPlacement1795973000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."connection_placement" AS ENUM('EVERY_HUB', 'ONE_HUB')`);
    await queryRunner.query(`ALTER TABLE "mcp_servers" ADD "connection_placement" "public"."connection_placement" NOT NULL DEFAULT 'EVERY_HUB'`);
    await queryRunner.query(
      `UPDATE "mcp_servers" s SET "connection_placement" = 'ONE_HUB' FROM "server_endpoints" e WHERE e."server_id" = s."id" AND e."primary" AND e."transport" = 'STDIO'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mcp_servers" DROP COLUMN "connection_placement"`);
    await queryRunner.query(`DROP TYPE "public"."connection_placement"`);
  }
}
