import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { HUB_CONFIG, type HubConfig } from '#core';

/**
 * What the hub keeps in a 2026-07-28 `requestState` it hands to an agent: which server the multi-round request
 * belongs to, that server's own state (if it is a 2026 server) or the hub's pending call (if the hub bridges a
 * 2025 server), and whom it was issued to. The agent holds it; only the hub can read it back unchanged.
 */
export interface HubRequestState {
  /** The API key it was issued to: another key cannot continue the request. */
  keyId: string;
  groupSlug: string;
  /** The 2026 server whose own state this wraps: the next round goes to it. */
  serverId?: string;
  /** The method and name (or URI) of the original request: a state cannot be replayed on another call. */
  target: string;
  /** The upstream's own requestState, passed back to it unchanged. */
  upstream?: string;
  /** A call the hub holds open with a 2025-era server while the agent answers its questions. */
  pending?: string;
  /** The hub holding `pending` (SessionBus.hubId), when several share the load: a later round is sent there. */
  hub?: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

const encode = (b: Buffer) => b.toString('base64url');

/**
 * Seals and opens requestState: JSON + HMAC-SHA-256 with a key derived from the hub's master key, so every hub
 * of a deployment accepts the others' states and a tampered or expired one is refused.
 */
@Injectable()
export class RequestStateSeal {
  private readonly key: Buffer;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.encryption.key, Buffer.alloc(0), 'mcp-hub request-state v1', 32));
  }

  seal(state: HubRequestState): string {
    const body = encode(Buffer.from(JSON.stringify(state)));
    return `${body}.${encode(this.mac(body))}`;
  }

  /** The state, or undefined when it was not issued by this deployment, was altered, or has expired. */
  open(token: unknown, now = Date.now()): HubRequestState | undefined {
    if (typeof token !== 'string' || token.length > 64 * 1024) return undefined;
    const dot = token.indexOf('.');
    if (dot < 1) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as HubRequestState;
      return typeof state.exp === 'number' && state.exp > now ? state : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}
