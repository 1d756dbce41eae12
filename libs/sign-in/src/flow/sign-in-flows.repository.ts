import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import type { SignInProvider } from '../sign-in-provider.js';
import { SignInFlow, type FlowIntent } from './sign-in-flow.entity.js';

@Injectable()
export class SignInFlowsRepository {
  constructor(@InjectRepository(SignInFlow) private readonly flows: Repository<SignInFlow>) {}

  async insert(flow: Omit<SignInFlow, 'createdAt' | 'user'>): Promise<void> {
    // Abandoned flows expire; dropping them here keeps the table small without a scheduled job.
    await this.flows.delete({ expiresAt: LessThan(new Date()) });
    await this.flows.insert(flow);
  }

  /**
   * Deletes and returns the flow in one statement (single use even under concurrent callbacks). A flow started in
   * another browser (other binding) or for another provider is not touched.
   */
  async take(stateHash: string, bindingHash: string, provider: SignInProvider): Promise<SignInFlow | null> {
    const result = await this.flows
      .createQueryBuilder()
      .delete()
      .from(SignInFlow)
      .where('state_hash = :stateHash AND binding_hash = :bindingHash AND provider = :provider', { stateHash, bindingHash, provider })
      .returning('*')
      .execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    if (!row) return null;
    const flow = this.flows.create({
      stateHash,
      provider,
      intent: row.intent as FlowIntent,
      userId: (row.user_id as string | null) ?? null,
      bindingHash,
      secrets: row.secrets as string,
      expiresAt: new Date(row.expires_at as string),
    });
    return flow.expiresAt.getTime() > Date.now() ? flow : null;
  }
}
