import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '#core';
import { FLOW_TTL_MS } from './flow/sign-in-flows.js';
import { PROVIDER_SLUGS, SignInProvider } from './sign-in-provider.js';
import { AzureAdIdentityProvider } from './strategies/azure-ad.strategy.js';
import { GitHubIdentityProvider } from './strategies/github.strategy.js';
import type { IdentityProvider } from './strategies/identity-provider.js';

/** The providers switched on by configuration (a client id set), and the hub URLs that belong to them. */
@Injectable()
export class IdentityProviders {
  private readonly providers = new Map<SignInProvider, IdentityProvider>();

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    const { github, azureAd } = config.signIn;
    if (github) this.providers.set(SignInProvider.GITHUB, new GitHubIdentityProvider(github));
    if (azureAd) this.providers.set(SignInProvider.AZURE_AD, new AzureAdIdentityProvider(azureAd, FLOW_TTL_MS / 1000));
  }

  enabled(): SignInProvider[] {
    return [...this.providers.keys()];
  }

  get(provider: SignInProvider): IdentityProvider | undefined {
    return this.providers.get(provider);
  }

  bySlug(slug: string): IdentityProvider | undefined {
    const provider = (Object.keys(PROVIDER_SLUGS) as SignInProvider[]).find((p) => PROVIDER_SLUGS[p] === slug);
    return provider ? this.providers.get(provider) : undefined;
  }

  // PUBLIC_URL is read at each use: it is the address registered at the provider.
  startUrl(provider: SignInProvider): string {
    return `${this.config.http.publicUrl}/auth/${PROVIDER_SLUGS[provider]}`;
  }

  redirectUri(provider: SignInProvider): string {
    return `${this.startUrl(provider)}/callback`;
  }

  /** The dashboard page that finishes a browser sign-in: exchanges `code`, confirms `linkCode` or shows `error`. */
  dashboardCallback(params: Record<string, string>): string {
    return `${this.config.http.publicUrl}/sign-in/callback?${new URLSearchParams(params)}`;
  }
}
