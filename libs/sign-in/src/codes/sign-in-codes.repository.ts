import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { randomToken, sha256Hex } from '../hashing.js';
import type { SignInProvider } from '../sign-in-provider.js';
import { SignInCode, type CodePurpose, type PendingIdentity } from './sign-in-code.entity.js';

export interface NewCode {
  purpose: CodePurpose;
  userId: string;
  provider: SignInProvider;
  identity?: PendingIdentity;
  ttlMs: number;
}

@Injectable()
export class SignInCodesRepository {
  constructor(@InjectRepository(SignInCode) private readonly codes: Repository<SignInCode>) {}

  /** Stores the hash of a fresh code and returns the code itself (shown once). */
  async issue(input: NewCode): Promise<string> {
    const code = randomToken();
    // Expired rows are useless; dropping them here keeps the table small without a scheduled job.
    await this.codes.delete({ expiresAt: LessThan(new Date()) });
    await this.codes.insert({
      codeHash: sha256Hex(code),
      purpose: input.purpose,
      userId: input.userId,
      provider: input.provider,
      identity: input.identity ?? null,
      expiresAt: new Date(Date.now() + input.ttlMs),
    });
    return code;
  }

  /** Deletes and returns the code's row in one statement, so two concurrent uses cannot both succeed. */
  async take(code: string, purpose: CodePurpose): Promise<SignInCode | null> {
    const result = await this.codes
      .createQueryBuilder()
      .delete()
      .from(SignInCode)
      .where('code_hash = :hash AND purpose = :purpose', { hash: sha256Hex(code), purpose })
      .returning('*')
      .execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    if (!row) return null;
    const taken = this.codes.create({
      userId: row.user_id as string,
      provider: row.provider as SignInProvider,
      identity: (row.identity as PendingIdentity | null) ?? null,
      expiresAt: new Date(row.expires_at as string),
    });
    return taken.expiresAt.getTime() > Date.now() ? taken : null;
  }
}
