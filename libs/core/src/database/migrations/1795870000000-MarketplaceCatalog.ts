import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedCatalog } from './1795870000000-MarketplaceCatalog.seed.js';

/**
 * What catalog searches match, kept by a trigger in a GIN-indexed column: title and name weigh most, then tags and
 * publisher, then the description. Punctuation in names (`io.github.acme/server-x`) becomes spaces so each part is
 * a word. (A generated column cannot hold it: array_to_string is not immutable.)
 */
const SEARCH_DOCUMENT = `setweight(to_tsvector('english', NEW.title || ' ' || regexp_replace(NEW.name, '[^a-zA-Z0-9]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('english', array_to_string(NEW.tags, ' ') || ' ' || regexp_replace(NEW.publisher, '[^a-zA-Z0-9]+', ' ', 'g')), 'B')
    || setweight(to_tsvector('english', NEW.description), 'C')`;

/**
 * The marketplace catalog, seeded once with real public servers. Seeding skips names that exist, so running it
 * again changes nothing and never overwrites an entry; an entry an admin deleted stays deleted (migrations run once).
 */
export class MarketplaceCatalog1795870000000 implements MigrationInterface {
  name = 'MarketplaceCatalog1795870000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "catalog_transport" AS ENUM('STDIO', 'STREAMABLE_HTTP', 'SSE')`);
    await queryRunner.query(
      `CREATE TABLE "catalog_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "publisher" text NOT NULL, "version" text NOT NULL, "transport" "catalog_transport" NOT NULL, "npm_package" text, "args" jsonb NOT NULL DEFAULT '[]', "url" text, "variables" jsonb NOT NULL DEFAULT '[]', "tags" text array NOT NULL DEFAULT '{}', "repository_url" text, "docs_url" text, "search_document" tsvector NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_catalog_entries_name" UNIQUE ("name"), CONSTRAINT "PK_catalog_entries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_catalog_entries_tags" ON "catalog_entries" USING GIN ("tags")`);
    await queryRunner.query(`CREATE INDEX "IDX_catalog_entries_search_document" ON "catalog_entries" USING GIN ("search_document")`);
    await queryRunner.query(
      `CREATE FUNCTION "catalog_entries_search_document"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_document := ${SEARCH_DOCUMENT}; RETURN NEW; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "catalog_entries_search_document" BEFORE INSERT OR UPDATE ON "catalog_entries" FOR EACH ROW EXECUTE FUNCTION "catalog_entries_search_document"()`,
    );
    await seedCatalog(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "catalog_entries"`);
    await queryRunner.query(`DROP FUNCTION "catalog_entries_search_document"()`);
    await queryRunner.query(`DROP TYPE "catalog_transport"`);
  }
}
