import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { PINO } from '#core';
import type { ResolvedServer } from '#servers';
import { RpcCode, RpcError } from '../../protocol/json-rpc.js';
import { SessionBus } from '../../session/session-bus.js';
import type { UpstreamConnection, UpstreamEvents, UpstreamIdentity } from '../upstream-connection.js';
import { ConnectionOwners } from './connection-owners.js';
import { refKey, type ConnectionInfo, type ConnectionRef, type ToForwarder, type ToOwner } from './forwarding-messages.js';
import { RemoteUpstreamConnection, holderGone, type OwnerLink, type PendingCall } from './remote-upstream-connection.js';

/** While calls wait on another hub, how often that hub's presence is checked (a hub killed mid-call never answers). */
const OWNER_WATCH_MS = 1_000;

/**
 * The forwarding side of ONE_HUB servers: opens a connection on the hub that holds the server's live connection
 * (claiming it for this hub when nobody does, or when its holder is gone), and routes that hub's answers back to
 * the calls waiting here. See ConnectionHost for the owning side.
 */
@Injectable()
export class ForwardedConnections implements OwnerLink, OnModuleInit, OnApplicationShutdown {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly opening = new Map<number, { resolve(info: ConnectionInfo): void; reject(error: RpcError): void }>();
  private readonly restarting = new Map<number, () => void>();
  private readonly open = new Map<string, Set<RemoteUpstreamConnection>>();
  private readonly watch?: NodeJS.Timeout;

  constructor(
    private readonly bus: SessionBus,
    private readonly owners: ConnectionOwners,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    if (!bus.shared) return; // one hub: nobody to forward to
    this.watch = setInterval(() => void this.watchOwners(), OWNER_WATCH_MS);
    this.watch.unref();
  }

  onModuleInit() {
    this.bus.on('to-forwarder', ({ message }) => this.receive(message));
  }

  onApplicationShutdown() {
    clearInterval(this.watch);
  }

  /** True when a hub other than this one may hold the server's connection (several hubs, placement ONE_HUB). */
  placed(server: ResolvedServer | undefined): boolean {
    return this.bus.shared && server?.connectionPlacement === 'ONE_HUB';
  }

  /**
   * The connection for `ref`: `local()` when this hub holds (or now claims) it, else one through the holder.
   * Rejects like a failed connect (the pool backs off and tries again, claiming it if the holder went meanwhile).
   */
  async connect(identity: UpstreamIdentity, ref: ConnectionRef, events: UpstreamEvents, timeoutMs: number, local: () => Promise<UpstreamConnection>): Promise<UpstreamConnection> {
    for (let attempt = 0; ; attempt++) {
      const holder = await this.owners.claim(ref.replicaId);
      if (holder === true) return local();
      try {
        return await this.openAt(holder, identity, ref, events, timeoutMs);
      } catch (error) {
        // The holder went, or gave the connection up, between the claim and the open: once, claim again.
        if (attempt > 0 || !holderGone(error)) throw error;
      }
    }
  }

  private async openAt(holder: string, identity: UpstreamIdentity, ref: ConnectionRef, events: UpstreamEvents, timeoutMs: number): Promise<RemoteUpstreamConnection> {
    const connection = new RemoteUpstreamConnection(identity, ref, holder, this, events);
    const key = refKey(ref);
    // Counted as open from the start: another of this hub's connections to `ref` closing meanwhile must not tell the
    // holder that this hub is done with it.
    if (!this.open.has(key)) this.open.set(key, new Set());
    this.open.get(key)!.add(connection);
    const openId = this.nextCallId();
    const info = await new Promise<ConnectionInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.opening.delete(openId);
        reject(new RpcError(RpcCode.UPSTREAM_TIMEOUT, `Server "${identity.slug}" runs on hub ${holder}, which did not answer within ${timeoutMs} ms`, { server: identity.slug }));
      }, timeoutMs);
      timer.unref();
      const settle = <T>(then: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        this.opening.delete(openId);
        then(value);
      };
      this.opening.set(openId, { resolve: settle(resolve), reject: settle(reject) });
      void this.send(holder, { ...ref, from: '', op: 'open', ref: openId }).then((heard) => {
        if (!heard) this.opening.get(openId)?.reject(connection.ownerGone());
      });
    }).catch((error: unknown) => {
      connection.lose('it could not be opened');
      throw error;
    });
    // Lost while opening (the holder's connection ended just then): the pool connects again.
    if (!connection.alive) throw connection.ownerGone();
    connection.accept(info);
    return connection;
  }

  /** Asks the hub running `connection`'s replica to restart it (its processes); resolves when it did, or gave up. */
  async restartHolder(connection: RemoteUpstreamConnection, timeoutMs: number): Promise<void> {
    const id = this.nextCallId();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.restarting.set(id, done);
      void this.send(connection.owner, { ...connection.ref, from: '', op: 'restart', ref: id }).then((heard) => heard || done());
    }).finally(() => this.restarting.delete(id));
  }

  /** This hub stops running the replica (removed, reconfigured, stopping): another hub may claim it now. */
  release(replicaId: string): Promise<void> {
    return this.owners.release(replicaId);
  }

  // OwnerLink
  send(owner: string, message: ToOwner): Promise<boolean> {
    return this.bus.toHub(owner, { kind: 'to-owner', message: { ...message, from: this.bus.hubId } });
  }

  nextCallId(): number {
    return this.nextId++;
  }

  expect(callId: number, handler: PendingCall): void {
    this.calls.set(callId, handler);
  }

  forget(callId: number): void {
    this.calls.delete(callId);
  }

  fail(callId: number, error: RpcError): void {
    this.calls.get(callId)?.fail(error);
  }

  closed(connection: RemoteUpstreamConnection, byThisHub: boolean): void {
    const key = refKey(connection.ref);
    const open = this.open.get(key);
    if (!open?.delete(connection) || open.size) return;
    this.open.delete(key);
    // The holder stops counting this hub among the connection's users (after a loss it has forgotten it already).
    if (byThisHub) void this.send(connection.owner, { ...connection.ref, from: '', op: 'close' });
  }

  private receive(message: ToForwarder): void {
    switch (message.op) {
      case 'opened':
        return this.opening.get(message.ref)?.resolve(message.info);
      case 'open-failed':
        return this.opening.get(message.ref)?.reject(new RpcError(message.error.code, message.error.message, message.error.data));
      case 'restarted':
        return this.restarting.get(message.ref)?.();
      case 'answer':
        return this.calls.get(message.callId)?.settle(message.outcome);
      case 'related':
        return this.calls.get(message.callId)?.related(message.message);
      case 'request':
        return this.openFor(message)?.ask(message.message);
      case 'request-cancelled':
        return this.openFor(message)?.heard(message.message);
      case 'lost':
        for (const connection of [...(this.open.get(refKey(message)) ?? [])]) connection.lose(message.reason, message.resend);
    }
  }

  /** One of this hub's connections through the holder to `ref` (server→client requests are the pool's, not a connection's). */
  private openFor(ref: ConnectionRef): RemoteUpstreamConnection | undefined {
    return this.open.get(refKey(ref))?.values().next().value;
  }

  /** Connections whose holder is gone (killed: no goodbye) are lost, failing their waiting calls. */
  private async watchOwners(): Promise<void> {
    const waiting = new Set<string>();
    for (const set of this.open.values()) for (const c of set) if (c.inFlight > 0) waiting.add(c.owner);
    for (const owner of waiting) {
      if (await this.bus.listening(owner).catch(() => true)) continue;
      this.logger.warn({ owner }, 'hub holding upstream connections is gone: its calls fail, connections move');
      for (const set of [...this.open.values()]) for (const c of [...set]) if (c.owner === owner) c.lose(`hub ${owner} is gone`, true);
    }
  }
}
