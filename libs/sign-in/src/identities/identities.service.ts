import type { Actor } from '#auth';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, ErrorCode, badInput, forbidden, notFound } from '#core';
import { CodePurpose } from '../codes/sign-in-code.entity.js';
import { SignInCodesRepository } from '../codes/sign-in-codes.repository.js';
import { IdentityProviders } from '../identity-providers.js';
import { PROVIDER_LABELS, type SignInProvider } from '../sign-in-provider.js';
import { UserIdentitiesRepository } from './user-identities.repository.js';
import type { UserIdentity } from './user-identity.entity.js';

/** linkProvider's URL opens the flow once, within this time. */
export const LINK_START_TTL_MS = 5 * 60_000;

export interface ProviderLink {
  url: string;
  expiresAt: Date;
}

/**
 * A signed-in person's own identities: list, link, unlink. Linking is two-ended: it starts from a ticket only this
 * user's access token can ask for, and the identity is added only when the same user confirms the result.
 */
@Injectable()
export class IdentitiesService {
  constructor(
    private readonly identities: UserIdentitiesRepository,
    private readonly codes: SignInCodesRepository,
    private readonly providers: IdentityProviders,
  ) {}

  list(user: Actor): Promise<UserIdentity[]> {
    return this.identities.listForUser(user.id);
  }

  async linkStart(user: Actor, provider: SignInProvider): Promise<ProviderLink> {
    if (!this.providers.get(provider)) throw badInput('provider', `${PROVIDER_LABELS[provider] ?? provider} sign-in is not enabled on this hub`);
    const ticket = await this.codes.issue({ purpose: CodePurpose.LINK_START, userId: user.id, provider, ttlMs: LINK_START_TTL_MS });
    return { url: `${this.providers.startUrl(provider)}?${new URLSearchParams({ link: ticket })}`, expiresAt: new Date(Date.now() + LINK_START_TTL_MS) };
  }

  /** The dashboard's confirmation of a link callback (`linkCode`), by the user who started it. */
  async linkComplete(user: Actor, code: string): Promise<UserIdentity> {
    const pending = code ? await this.codes.take(code, CodePurpose.LINK_COMPLETE) : null;
    if (!pending?.identity) throw badInput('code', 'this link code is invalid, expired or already used: start linking again');
    // Someone else's link result (e.g. a link URL forwarded to another person) never lands in this account.
    if (pending.userId !== user.id) throw forbidden('This link was started by another account');
    const identity = await this.identities.insertIfAbsent({
      userId: user.id,
      provider: pending.provider,
      subject: pending.identity.subject,
      email: pending.identity.email,
    });
    if (identity.userId !== user.id) {
      throw new DomainError(ErrorCode.CONFLICT, `This ${PROVIDER_LABELS[pending.provider]} account is already linked to another hub account`);
    }
    return identity;
  }

  async unlink(user: Actor, id: string): Promise<boolean> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const result = await this.identities.unlinkUnlessLast(user.id, id, this.providers.enabled());
    if (result === 'not-found') throw notFound('Identity', id);
    if (result === 'last-method') {
      throw new DomainError(
        ErrorCode.CONFLICT,
        'This is your last way to sign in: set a password or link another provider before unlinking it',
      );
    }
    return true;
  }
}
