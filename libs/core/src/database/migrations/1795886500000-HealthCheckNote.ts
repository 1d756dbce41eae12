import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a person should know about a check that is not a failure (e.g. the server asks each person to authorize it). */
export class HealthCheckNote1795886500000 implements MigrationInterface {
  name = 'HealthCheckNote1795886500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "server_health_checks" ADD "note" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "server_health_checks" DROP COLUMN "note"`);
  }
}
