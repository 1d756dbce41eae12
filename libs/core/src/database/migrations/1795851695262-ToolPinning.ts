import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tool pinning: approved tool definitions per server (and pending changes), and each group's pinning mode. */
export class ToolPinning1795851695262 implements MigrationInterface {
  name = 'ToolPinning1795851695262';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "server_tool_pins" ("server_id" uuid NOT NULL, "tool_name" text NOT NULL, "approved_hash" text NOT NULL, "approved_definition" jsonb NOT NULL, "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL, "approved_by" uuid, "pending_hash" text, "pending_definition" jsonb, "detected_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_38f53c9e951c16b75c123627b03" PRIMARY KEY ("server_id", "tool_name"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "server_tool_pins" ADD CONSTRAINT "FK_c8ced51ddbdb184d9fdbb36b917" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Existing groups get WARN too: nothing an agent sees changes on upgrade, and owners start hearing about changes.
    await queryRunner.query(`CREATE TYPE "public"."tool_pinning_mode" AS ENUM('OFF', 'WARN', 'ENFORCE')`);
    await queryRunner.query(`ALTER TABLE "groups" ADD "tool_pinning" "public"."tool_pinning_mode" NOT NULL DEFAULT 'WARN'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "groups" DROP COLUMN "tool_pinning"`);
    await queryRunner.query(`DROP TYPE "public"."tool_pinning_mode"`);
    await queryRunner.query(`ALTER TABLE "server_tool_pins" DROP CONSTRAINT "FK_c8ced51ddbdb184d9fdbb36b917"`);
    await queryRunner.query(`DROP TABLE "server_tool_pins"`);
  }
}
