import { Injectable } from '@nestjs/common';
import { SecretBox } from '#core';
import { sha256Hex } from '../hashing.js';
import type { SignInProvider } from '../sign-in-provider.js';
import type { AuthorizationStore, PendingAuthorization } from '../strategies/identity-provider.js';
import { flowContext as context } from './sign-in-flow-columns.js';
import { FlowIntent } from './sign-in-flow.entity.js';
import { SignInFlowsRepository } from './sign-in-flows.repository.js';

/** How long a person may spend at the provider between leaving the hub and coming back. */
export const FLOW_TTL_MS = 10 * 60_000;

export interface StartedBy {
  intent: FlowIntent;
  /** For LINK flows. */
  userId: string | null;
}

/** The store a strategy sees during a callback; remembers what the taken flow was started for. */
export interface CallbackStore extends AuthorizationStore {
  /** Set once `take` found the flow. */
  readonly startedBy: StartedBy | null;
}

interface SealedSecrets {
  codeVerifier: string;
  nonce?: string;
}

/**
 * Server-side keeping of started authorizations (state, PKCE verifier, nonce): a row per flow, keyed by the hash
 * of its state, bound to the browser that started it, single use, gone after FLOW_TTL_MS. No express-session.
 */
@Injectable()
export class SignInFlows {
  constructor(
    private readonly flows: SignInFlowsRepository,
    private readonly box: SecretBox,
  ) {}

  forStart(provider: SignInProvider, browserBinding: string, startedBy: StartedBy): AuthorizationStore {
    return {
      save: async (pending: PendingAuthorization) => {
        const stateHash = sha256Hex(pending.state);
        const secrets: SealedSecrets = { codeVerifier: pending.codeVerifier, nonce: pending.nonce };
        await this.flows.insert({
          stateHash,
          provider,
          intent: startedBy.intent,
          userId: startedBy.userId,
          bindingHash: sha256Hex(browserBinding),
          secrets: this.box.seal(JSON.stringify(secrets), context(stateHash)),
          expiresAt: new Date(Date.now() + FLOW_TTL_MS),
        });
      },
      take: () => Promise.reject(new Error('a starting flow has nothing to take')),
    };
  }

  forCallback(provider: SignInProvider, browserBinding: string | undefined): CallbackStore {
    let startedBy: StartedBy | null = null;
    return {
      get startedBy() {
        return startedBy;
      },
      save: () => Promise.reject(new Error('a callback saves nothing')),
      take: async (state: string) => {
        // No binding cookie: this browser started no flow, whatever the state says (login CSRF).
        if (!browserBinding || !state) return null;
        const stateHash = sha256Hex(state);
        const flow = await this.flows.take(stateHash, sha256Hex(browserBinding), provider);
        if (!flow) return null;
        startedBy = { intent: flow.intent, userId: flow.userId };
        const secrets = JSON.parse(this.box.open(flow.secrets, context(stateHash))) as SealedSecrets;
        return { state, codeVerifier: secrets.codeVerifier, nonce: secrets.nonce };
      },
    };
  }
}
