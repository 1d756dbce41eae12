import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Upstream OAuth: which servers require it (and with which client), the clients the hub registered for itself,
 * authorizations under way (state + PKCE verifier) and each person's tokens per server (sealed).
 */
export class UpstreamOAuth1795883000000 implements MigrationInterface {
  name = 'UpstreamOAuth1795883000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "server_oauth_settings" (
      "server_id" uuid NOT NULL,
      "client_id" text,
      "client_secret" text,
      "scopes" text array NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_server_oauth_settings" PRIMARY KEY ("server_id"),
      CONSTRAINT "server_oauth_settings_secret_needs_id" CHECK ("client_secret" IS NULL OR "client_id" IS NOT NULL),
      CONSTRAINT "FK_server_oauth_settings_server" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE TABLE "upstream_oauth_clients" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "server_id" uuid NOT NULL,
      "issuer" text NOT NULL,
      "redirect_uri" text NOT NULL,
      "client_id" text NOT NULL,
      "client_secret" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_upstream_oauth_clients" PRIMARY KEY ("id"),
      CONSTRAINT "FK_upstream_oauth_clients_server" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "upstream_oauth_clients_place" ON "upstream_oauth_clients" ("server_id", "issuer", "redirect_uri")`);
    await queryRunner.query(`CREATE TABLE "upstream_authorizations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "server_id" uuid NOT NULL,
      "issuer" text NOT NULL,
      "token_endpoint" text NOT NULL,
      "revocation_endpoint" text,
      "client_id" text NOT NULL,
      "client_auth" text NOT NULL,
      "access_token" text NOT NULL,
      "refresh_token" text,
      "expires_at" TIMESTAMP WITH TIME ZONE,
      "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "scopes" text array NOT NULL DEFAULT '{}',
      "resource" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_upstream_authorizations" PRIMARY KEY ("id"),
      CONSTRAINT "FK_upstream_authorizations_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_upstream_authorizations_server" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "upstream_authorizations_user_server" ON "upstream_authorizations" ("user_id", "server_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_upstream_authorizations_server" ON "upstream_authorizations" ("server_id")`);
    await queryRunner.query(`CREATE TABLE "upstream_authorization_requests" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "state_hash" text NOT NULL,
      "user_id" uuid NOT NULL,
      "server_id" uuid NOT NULL,
      "code_verifier" text NOT NULL,
      "issuer" text NOT NULL,
      "token_endpoint" text NOT NULL,
      "revocation_endpoint" text,
      "client_id" text NOT NULL,
      "client_auth" text NOT NULL,
      "redirect_uri" text NOT NULL,
      "resource" text NOT NULL,
      "scopes" text array NOT NULL DEFAULT '{}',
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_upstream_authorization_requests" PRIMARY KEY ("id")
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "upstream_authorization_requests_state" ON "upstream_authorization_requests" ("state_hash")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "upstream_authorization_requests"`);
    await queryRunner.query(`DROP TABLE "upstream_authorizations"`);
    await queryRunner.query(`DROP TABLE "upstream_oauth_clients"`);
    await queryRunner.query(`DROP TABLE "server_oauth_settings"`);
  }
}
