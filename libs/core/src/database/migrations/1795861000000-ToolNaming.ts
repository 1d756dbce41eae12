import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Existing groups keep prefixing every name; groups created from now on prefix only names two members share. */
export class ToolNaming1795861000000 implements MigrationInterface {
  name = 'ToolNaming1795861000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "tool_naming" AS ENUM('PREFIX_ALWAYS', 'PREFIX_WHEN_NEEDED', 'NONE')`);
    await queryRunner.query(`ALTER TABLE "groups" ADD "tool_naming" "tool_naming" NOT NULL DEFAULT 'PREFIX_ALWAYS'`);
    await queryRunner.query(`ALTER TABLE "groups" ALTER COLUMN "tool_naming" SET DEFAULT 'PREFIX_WHEN_NEEDED'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "groups" DROP COLUMN "tool_naming"`);
    await queryRunner.query(`DROP TYPE "tool_naming"`);
  }
}
