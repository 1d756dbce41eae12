import type { MigrationInterface, QueryRunner } from "typeorm";

export class GroupRevisions1795263128657 implements MigrationInterface {
    name = 'GroupRevisions1795263128657'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "group_revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "revision" integer NOT NULL, "snapshot" jsonb NOT NULL, "reason" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_bc92378d9355f329f7a6f581d0f" UNIQUE ("group_id", "revision"), CONSTRAINT "PK_157a881a5497d0ba210c6b6eb77" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "group_revisions" ADD CONSTRAINT "FK_2480571a632fc3b34f20267bf89" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "group_revisions" DROP CONSTRAINT "FK_2480571a632fc3b34f20267bf89"`);
        await queryRunner.query(`DROP TABLE "group_revisions"`);
    }

}
