import type { MigrationInterface, QueryRunner } from "typeorm";

export class ServersAndGroups1795261056798 implements MigrationInterface {
    name = 'ServersAndGroups1795261056798'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."server_transport" AS ENUM('STDIO', 'SSE', 'STREAMABLE_HTTP')`);
        await queryRunner.query(`CREATE TABLE "mcp_servers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "slug" text NOT NULL, "description" text, "tags" text array NOT NULL DEFAULT '{}', "transport" "public"."server_transport" NOT NULL, "command" text, "args" text array NOT NULL DEFAULT '{}', "cwd" text, "url" text, "env" jsonb NOT NULL DEFAULT '[]', "headers" jsonb NOT NULL DEFAULT '[]', "enabled" boolean NOT NULL DEFAULT true, "owner_id" uuid NOT NULL, "capabilities" jsonb, "capabilities_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b6df42ab21f3b4461ca66896e93" UNIQUE ("slug"), CONSTRAINT "PK_c781b3dc7cb2a5d19460b71914d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_bcfb33547da5ebe6014b892064" ON "mcp_servers"  ("owner_id") `);
        await queryRunner.query(`CREATE TYPE "public"."tool_filter_mode" AS ENUM('NONE', 'ALLOW', 'DENY')`);
        await queryRunner.query(`CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "slug" text NOT NULL, "description" text, "owner_id" uuid NOT NULL, "tool_filter_mode" "public"."tool_filter_mode" NOT NULL DEFAULT 'NONE', "tool_filter" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_eccfe767267171ae21e7cbf183d" UNIQUE ("slug"), CONSTRAINT "PK_659d1483316afb28afd3a90646e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5d7af25843377def343ab0beaa" ON "groups"  ("owner_id") `);
        await queryRunner.query(`CREATE TABLE "group_servers" ("group_id" uuid NOT NULL, "server_id" uuid NOT NULL, "position" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f7c58e537dbb497e835163f3241" PRIMARY KEY ("group_id", "server_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_778a1c2b5c83bb126436a42ca6" ON "group_servers"  ("server_id") `);
        await queryRunner.query(`ALTER TABLE "mcp_servers" ADD CONSTRAINT "FK_bcfb33547da5ebe6014b8920642" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "groups" ADD CONSTRAINT "FK_5d7af25843377def343ab0beaa8" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "group_servers" ADD CONSTRAINT "FK_b5dff240661abb13d01bdbf4844" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "group_servers" ADD CONSTRAINT "FK_778a1c2b5c83bb126436a42ca6b" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "group_servers" DROP CONSTRAINT "FK_778a1c2b5c83bb126436a42ca6b"`);
        await queryRunner.query(`ALTER TABLE "group_servers" DROP CONSTRAINT "FK_b5dff240661abb13d01bdbf4844"`);
        await queryRunner.query(`ALTER TABLE "groups" DROP CONSTRAINT "FK_5d7af25843377def343ab0beaa8"`);
        await queryRunner.query(`ALTER TABLE "mcp_servers" DROP CONSTRAINT "FK_bcfb33547da5ebe6014b8920642"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_778a1c2b5c83bb126436a42ca6"`);
        await queryRunner.query(`DROP TABLE "group_servers"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5d7af25843377def343ab0beaa"`);
        await queryRunner.query(`DROP TABLE "groups"`);
        await queryRunner.query(`DROP TYPE "public"."tool_filter_mode"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_bcfb33547da5ebe6014b892064"`);
        await queryRunner.query(`DROP TABLE "mcp_servers"`);
        await queryRunner.query(`DROP TYPE "public"."server_transport"`);
    }

}
