import { Global, Inject, Injectable, Module, Optional, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AgentOptions } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, buildConnector } from 'undici';
import { ConfigError, HUB_CONFIG, type HubConfig } from '#core';
import { Permission, roleHolds, type Role } from '#auth';
import { explainedFetch } from '../upstream/create-upstream-transport.js';
import type { UpstreamTransportConfig } from '../upstream/upstream-transport-config.js';
import { EgressRefusedError, memberSafeError } from './egress.errors.js';
import { createEgressLookup, systemResolver, type EgressResolver } from './egress-lookup.js';
import { EgressPolicy, type EgressMode } from './egress-policy.js';

/** Provide this token to resolve upstream host names with something other than the system resolver (tests). */
export const EGRESS_RESOLVER = Symbol('EGRESS_RESOLVER');

/** Admins may point their servers anywhere (they could run commands on the hub anyway); everyone else may not. */
export const egressModeFor = (ownerRole: Role | undefined): EgressMode =>
  ownerRole && roleHolds(ownerRole, Permission.SERVER_EGRESS_ANY) ? 'unrestricted' : 'restricted';

/** A URL transport's mode; a config that does not say is restricted (deny by default). */
const modeOf = (config: UpstreamTransportConfig): EgressMode => (config.type !== 'stdio' && config.egress === 'unrestricted' ? 'unrestricted' : 'restricted');

interface ModeTools {
  lookup: LookupFunction;
  dispatcher: Agent;
  fetch: FetchLike;
}

/**
 * Applies the egress policy to every connection to an upstream URL: one place that every connecting path (testServer
 * probes, health checks, the gateway's pool) takes its socket lookup, fetch dispatcher and error wording from.
 * Both modes resolve through the same resolver; only the restricted one refuses.
 */
@Injectable()
export class EgressGuard implements OnApplicationShutdown {
  readonly policy: EgressPolicy;
  private readonly tools: Record<EgressMode, ModeTools>;

  constructor(@Inject(HUB_CONFIG) config: HubConfig, @Optional() @Inject(EGRESS_RESOLVER) resolver?: EgressResolver) {
    try {
      this.policy = new EgressPolicy(config.egress.allowedHosts);
    } catch (error) {
      throw new ConfigError('UPSTREAM_ALLOWED_HOSTS', `has an entry that is neither a host name, an IP nor a CIDR (${(error as Error).message})`);
    }
    const resolve = resolver ?? systemResolver;
    this.tools = { restricted: this.modeTools(resolve, this.policy), unrestricted: this.modeTools(resolve, null) };
  }

  /** Why `url` may not be used by a server of this mode (IP literals and local or metadata names); null if it may. */
  urlRefusal(url: string, mode: EgressMode): string | null {
    if (mode === 'unrestricted') return null;
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return 'not a valid URL';
    }
    return this.policy.hostRefusal(host);
  }

  /**
   * Call before connecting: IP-literal hosts never go through a lookup, so the lookup alone would not see them.
   * Throws EgressRefusedError.
   */
  assertAllowed(config: UpstreamTransportConfig): void {
    if (config.type === 'stdio') return;
    const refusal = this.urlRefusal(config.url, modeOf(config));
    if (refusal) throw new EgressRefusedError(safeHost(config.url), refusal);
  }

  /** For node:http(s) Agents: every socket's host name is resolved and checked. */
  agentOptions(config: UpstreamTransportConfig): Pick<AgentOptions, 'lookup'> {
    return { lookup: this.tools[modeOf(config)].lookup };
  }

  /** A fetch whose every connection (also after redirects) goes through the policy. */
  fetch(config: UpstreamTransportConfig): FetchLike {
    return this.fetchFor(modeOf(config));
  }

  /** The same for other outbound HTTP made for a user (alert webhooks), by that user's mode. */
  fetchFor(mode: EgressMode): FetchLike {
    return this.tools[mode].fetch;
  }

  /** The error a server's owner may see: for restricted servers a generic text (details stay in `cause` for logs). */
  visibleError(config: UpstreamTransportConfig, error: unknown): Error {
    if (config.type === 'stdio' || modeOf(config) === 'unrestricted') return error instanceof Error ? error : new Error(String(error));
    return memberSafeError(error);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.tools).map((t) => t.dispatcher.close().catch(() => undefined)));
  }

  private modeTools(resolver: EgressResolver, policy: EgressPolicy | null): ModeTools {
    const lookup = createEgressLookup(resolver, policy);
    const base = buildConnector({ lookup });
    const dispatcher = new Agent({
      // Redirects may name an IP literal, which skips the lookup: check the host of every connection here.
      connect: (options, callback) => {
        const refusal = policy?.hostRefusal(options.hostname);
        if (refusal) return callback(new EgressRefusedError(options.hostname, refusal), null);
        base(options, callback);
      },
    });
    // Node's fetch takes a dispatcher from the undici package of the same major (6.x for Node 20).
    const fetch: FetchLike = (url, init) => explainedFetch(url, { ...init, dispatcher } as RequestInit);
    return { lookup, dispatcher, fetch };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** Supplies EGRESS_RESOLVER to every module (the hub's tests resolve made-up names to loopback upstreams). */
@Global()
@Module({})
export class EgressResolverModule {
  static forRoot(resolver: EgressResolver): DynamicModule {
    return { module: EgressResolverModule, providers: [{ provide: EGRESS_RESOLVER, useValue: resolver }], exports: [EGRESS_RESOLVER] };
  }
}
