import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog entries keep every version: one row per (name, version), exactly one of a name's rows marked latest (a
 * partial unique index). The rows there were, one per name, become their name's latest version.
 */
export class CatalogVersions1795886000000 implements MigrationInterface {
  name = 'CatalogVersions1795886000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "catalog_entries" ADD "is_latest" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "catalog_entries" DROP CONSTRAINT "UQ_catalog_entries_name"`);
    await queryRunner.query(`ALTER TABLE "catalog_entries" ADD CONSTRAINT "UQ_catalog_entries_name_version" UNIQUE ("name", "version")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_catalog_entries_latest" ON "catalog_entries" ("name") WHERE "is_latest"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to one version per name: the latest stays.
    await queryRunner.query(`DELETE FROM "catalog_entries" WHERE NOT "is_latest"`);
    await queryRunner.query(`DROP INDEX "UQ_catalog_entries_latest"`);
    await queryRunner.query(`ALTER TABLE "catalog_entries" DROP CONSTRAINT "UQ_catalog_entries_name_version"`);
    await queryRunner.query(`ALTER TABLE "catalog_entries" ADD CONSTRAINT "UQ_catalog_entries_name" UNIQUE ("name")`);
    await queryRunner.query(`ALTER TABLE "catalog_entries" DROP COLUMN "is_latest"`);
  }
}
