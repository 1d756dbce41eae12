import type { MigrationInterface, QueryRunner } from "typeorm";

/** External sign-in: linked identities, started flows (state/PKCE/nonce) and one-time codes. */

export class SignIn1795830400727 implements MigrationInterface {
    name = 'SignIn1795830400727'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."sign_in_provider" AS ENUM('GITHUB', 'AZURE_AD')`);
        await queryRunner.query(`CREATE TABLE "sign_in_codes" ("code_hash" text NOT NULL, "purpose" text NOT NULL, "user_id" uuid NOT NULL, "provider" "public"."sign_in_provider" NOT NULL, "identity" jsonb, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2190c5f4a9601ce807f523786cf" PRIMARY KEY ("code_hash"))`);
        await queryRunner.query(`CREATE INDEX "IDX_01487bdbedf91b5d5b4cb69963" ON "sign_in_codes"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_2949e04a040903778fd85ced42" ON "sign_in_codes"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "sign_in_flows" ("state_hash" text NOT NULL, "provider" "public"."sign_in_provider" NOT NULL, "intent" text NOT NULL, "user_id" uuid, "binding_hash" text NOT NULL, "secrets" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f7c14258bf3cc4a25f4a865a0d6" PRIMARY KEY ("state_hash"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e449c73ec1fb2400762c8c041a" ON "sign_in_flows"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "user_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "provider" "public"."sign_in_provider" NOT NULL, "subject" text NOT NULL, "email" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_user_identities_provider_subject" UNIQUE ("provider", "subject"), CONSTRAINT "PK_e23bff04e9c3e7b785e442b262c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_bf5fe01eb8cad7114b4c371cdc" ON "user_identities"  ("user_id") `);
        await queryRunner.query(`ALTER TABLE "sign_in_codes" ADD CONSTRAINT "FK_01487bdbedf91b5d5b4cb69963a" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "sign_in_flows" ADD CONSTRAINT "FK_1ff6d039525a919feab83118462" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_identities" ADD CONSTRAINT "FK_bf5fe01eb8cad7114b4c371cdc7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "user_identities" DROP CONSTRAINT "FK_bf5fe01eb8cad7114b4c371cdc7"`);
        await queryRunner.query(`ALTER TABLE "sign_in_flows" DROP CONSTRAINT "FK_1ff6d039525a919feab83118462"`);
        await queryRunner.query(`ALTER TABLE "sign_in_codes" DROP CONSTRAINT "FK_01487bdbedf91b5d5b4cb69963a"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_bf5fe01eb8cad7114b4c371cdc"`);
        await queryRunner.query(`DROP TABLE "user_identities"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e449c73ec1fb2400762c8c041a"`);
        await queryRunner.query(`DROP TABLE "sign_in_flows"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2949e04a040903778fd85ced42"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_01487bdbedf91b5d5b4cb69963"`);
        await queryRunner.query(`DROP TABLE "sign_in_codes"`);
        await queryRunner.query(`DROP TYPE "public"."sign_in_provider"`);
    }

}
