import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OutageLog, PINO, REDIS, patientRedisOptions, pubSubChannel } from '#core';
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from '../protocol/json-rpc.js';
import type { HubRequestState } from '../protocol/request-state.js';
import type { EveryHubNotification, ToForwarder, ToOwner } from '../upstream/forwarding/forwarding-messages.js';

/** What one hub sends another about a session whose live parts (a stream, a relayed request) live there. */
export type HubMessage =
  /** Write `message` on the session's stream (legacy SSE: the answer to a POST that landed on another hub). */
  | { kind: 'stream'; sessionId: string; message: JsonRpcMessage }
  /** The agent's answer to a server→client request this hub relayed (its POST landed on another hub). */
  | { kind: 'client-response'; sessionId: string; response: JsonRpcResponse }
  /** The session ended (DELETE, its legacy stream closed): every hub forgets its copy. */
  | { kind: 'ended'; sessionId: string }
  /** The agent sent notifications/initialized (to one hub): every hub's copy may now send it notifications. */
  | { kind: 'initialized'; sessionId: string }
  /** The agent cancelled a request this hub does not hold: the hub that holds it cancels it. */
  | { kind: 'cancelled'; sessionId: string; requestId: JsonRpcId; reason?: string }
  /** A Streamable HTTP session's GET stream opened on `hub`: what other hubs have for the agent goes there. */
  | { kind: 'stream-opened'; sessionId: string; hub: string }
  /** A stateless agent's later round of a call this hub holds (it landed on `replyTo`), and the answer. */
  | { kind: 'continue'; callId: string; replyTo: string; state: HubRequestState; params: Record<string, unknown> }
  | { kind: 'continued'; callId: string; outcome: { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } } }
  /** To the hub holding a ONE_HUB server's connection, from one forwarding to it (and its answers back). */
  | { kind: 'to-owner'; message: ToOwner }
  | { kind: 'to-forwarder'; message: ToForwarder }
  /** A ONE_HUB server's notification for agents: every hub delivers it to the streams it holds. */
  | { kind: 'upstream-notification'; notification: EveryHubNotification };

type Handler = (message: HubMessage) => void;
export type HubMessageOf<K extends HubMessage['kind']> = Extract<HubMessage, { kind: K }>;

const HUB_CHANNEL = (hubId: string) => `mcphub:hub:${hubId}`;
const EVERY_HUB_CHANNEL = 'mcphub:sessions';

/**
 * Hub-to-hub messages about sessions over Redis pub/sub, so several hubs serve one agent's session without
 * affinity: each hub listens on a channel of its own (messages for the streams and relays it holds) and on one
 * shared channel (sessions that ended). Only what must reach a particular hub travels; calls are served where
 * they land. Without Redis (one hub) there is nobody to tell: every method is a no-op.
 */
@Injectable()
export class SessionBus implements OnModuleInit, OnApplicationShutdown {
  /** This process; stamped on what other hubs must send back here. Short: it shows in relayed request ids. */
  readonly hubId = randomBytes(6).toString('hex');
  private subscriber?: Redis;
  private readonly handlers = new Map<HubMessage['kind'], Handler>();
  private readonly outage: OutageLog;
  /** Shared by every hub on this Redis database (hub channels need no scoping: their ids are random). */
  private readonly everyHubChannel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(PINO) logger?: Logger,
  ) {
    this.everyHubChannel = pubSubChannel(redis, EVERY_HUB_CHANNEL);
    this.outage = new OutageLog(logger, 'Redis session channel (messages for streams on other hubs are lost meanwhile)');
  }

  get shared(): boolean {
    return this.redis !== null;
  }

  async onModuleInit() {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate(patientRedisOptions);
    await this.subscriber.subscribe(HUB_CHANNEL(this.hubId), this.everyHubChannel);
    this.subscriber.on('message', (_channel: string, text: string) => {
      const message = JSON.parse(text) as HubMessage & { from?: string };
      if (message.from === this.hubId) return;
      this.handlers.get(message.kind)?.(message);
    });
  }

  async onApplicationShutdown() {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  on<K extends HubMessage['kind']>(kind: K, handler: (message: HubMessageOf<K>) => void): void {
    this.handlers.set(kind, handler as Handler);
  }

  /** Resolves true when the hub heard it (false: that hub is gone, or Redis is down). */
  async toHub(hubId: string, message: HubMessage): Promise<boolean> {
    if (!this.redis) return false;
    try {
      const heard = await this.redis.publish(HUB_CHANNEL(hubId), JSON.stringify(message));
      this.outage.recovered();
      return heard > 0;
    } catch (error) {
      this.outage.failed(error as Error);
      return false;
    }
  }

  /** True while `hubId` listens (a hub that died or stopped has no subscriber left on its channel). */
  async listening(hubId: string): Promise<boolean> {
    if (!this.redis) return false;
    const [, count] = (await this.redis.pubsub('NUMSUB', HUB_CHANNEL(hubId))) as [string, number];
    return Number(count) > 0;
  }

  /** To every other hub. */
  async announce(message: HubMessageOf<'ended' | 'initialized' | 'stream-opened' | 'cancelled' | 'upstream-notification'>): Promise<void> {
    if (!this.redis) return;
    await this.redis.publish(this.everyHubChannel, JSON.stringify({ ...message, from: this.hubId })).catch((error: Error) => this.outage.failed(error));
  }
}
