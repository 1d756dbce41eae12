import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ConfigChangeBus, PINO, type Logger } from '#core';
import type { Share } from '#auth';
import { ResourceSharesRepository, ShareableType } from '#users';
import { CredentialResolver } from '#credentials';
import { EgressGuard } from '../egress/egress-guard.js';
import { ServersService } from '../servers.service.js';
import { AuthorizationChallengeError } from '../upstream/authorization-challenge.js';
import { probeServer } from '../upstream/probe-server.js';
import type { ResolvedReplica, ResolvedServer } from '../upstream/upstream-transport-config.js';
import { HealthMetrics } from './health-metrics.js';
import { HubHealthReports } from './hub-health-reports.js';
import { LIVE_UPSTREAM_PROBE, type LiveUpstreamProbe } from './live-upstream-probe.js';
import { HealthStatus, ReplicaHealthCheck } from './replica-health-check.entity.js';

const CHECK_TIMEOUT_MS = 10_000;
/** Slower answers than this count as DEGRADED. */
const DEGRADED_AFTER_MS = 2_000;
const HISTORY_KEPT_PER_REPLICA = 500;
/** A server that answers with an OAuth challenge is up: the probe has no person's token, agents' calls carry theirs. */
export const ASKS_FOR_AUTHORIZATION_NOTE = 'Up: it asks each person to authorize it (OAuth) before their agents can use it';
/**
 * Production mode, a stdio replica no hub runs: its only way to fail is not to start, which only a start shows, so a
 * copy is started, but once every this many intervals rather than at each check (starting one costs about a second
 * and a process); between two, its status stays what the last check found. One found DOWN is tried at each check.
 */
export const IDLE_STDIO_CHECK_EVERY = 10;
export const IDLE_STDIO_NOTE = 'Idle: no hub runs it; checked by starting a copy';
/** A hub's report counts for two intervals (plus its reporting tick): one missed report is no reason to start a copy. */
const REPORT_GRACE_MS = 2_000;

interface ProbeOutcome {
  ok: boolean;
  error?: string;
  note?: string;
  /** Measured elsewhere (by the hubs running it): the check's own duration is only a Redis read. */
  latencyMs?: number;
}

export interface HealthTransition {
  serverId: string;
  /** Not shown to subscribers: with `shares`, decides who may receive the transition (the access policy's SERVER_READ). */
  ownerId: string;
  /** For notifications, which name the server. */
  serverSlug: string;
  serverName: string;
  /** The server's shares when the transition happened. */
  shares: Share[];
  replicaId: string;
  replicaName: string;
  from: HealthStatus | null;
  to: HealthStatus;
  error: string | null;
  at: string;
}

/** Runs one health check of a replica, records it, and announces status transitions on the config bus. */
@Injectable()
export class ServerHealthService {
  constructor(
    @InjectRepository(ReplicaHealthCheck) private readonly checks: Repository<ReplicaHealthCheck>,
    private readonly servers: ServersService,
    private readonly bus: ConfigChangeBus,
    private readonly egress: EgressGuard,
    private readonly variables: CredentialResolver,
    private readonly shares: ResourceSharesRepository,
    @Inject(PINO) private readonly logger: Logger,
    private readonly metrics: HealthMetrics,
    private readonly hubReports: HubHealthReports,
    @Optional() @Inject(LIVE_UPSTREAM_PROBE) private readonly live?: LiveUpstreamProbe,
  ) {}

  /**
   * Returns the recorded check, or null when the replica no longer exists (its schedule is stale). A check cut short
   * by `stopping` (the process shutting down) records nothing: it says nothing about the server.
   */
  async check(serverId: string, replicaId: string, stopping?: AbortSignal): Promise<ReplicaHealthCheck | null> {
    const server = await this.servers.resolveOne(serverId);
    const replica = server?.replicas.find((r) => r.id === replicaId);
    if (!server || !replica || !server.enabled) {
      this.metrics.forget(replicaId);
      return null;
    }
    const previous = await this.checks.findOne({ where: { replicaId }, order: { checkedAt: 'DESC' } });
    const started = performance.now();
    const outcome = await this.probe(replica, server, previous, stopping);
    if (stopping?.aborted) return previous;
    const labels = { server: server.slug, replica: replica.name };
    // An idle stdio replica checked not long ago: nothing started, nothing recorded (its gauge still shows it).
    if (outcome === null) {
      if (previous) this.metrics.record(replicaId, labels, previous.status);
      return previous;
    }
    const latencyMs = outcome.latencyMs ?? Math.round(performance.now() - started);
    const status = !outcome.ok ? HealthStatus.DOWN : latencyMs > DEGRADED_AFTER_MS ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
    this.metrics.record(replicaId, labels, status);
    const saved = await this.checks.save(
      this.checks.create({ serverId, replicaId, status, latencyMs: outcome.ok ? latencyMs : null, error: outcome.error ?? null, note: outcome.note ?? null }),
    );
    if (previous?.status !== status) await this.announce(server, replica, previous?.status ?? null, saved);
    await this.prune(replicaId);
    return saved;
  }

  /** Newest check per replica of each server; one query for many servers. */
  async latestFor(serverIds: string[]): Promise<Map<string, ReplicaHealthCheck[]>> {
    const result = new Map<string, ReplicaHealthCheck[]>(serverIds.map((id) => [id, []]));
    if (!serverIds.length) return result;
    const rows = await this.checks
      .createQueryBuilder('c')
      .distinctOn(['c.replica_id'])
      .where('c.server_id IN (:...serverIds)', { serverIds })
      .orderBy('c.replica_id')
      .addOrderBy('c.checked_at', 'DESC')
      .getMany();
    for (const row of rows) result.get(row.serverId)?.push(row);
    return result;
  }

  history(serverId: string, first: number): Promise<ReplicaHealthCheck[]> {
    return this.checks.find({ where: { serverId }, order: { checkedAt: 'DESC' }, take: first });
  }

  private async probe(replica: ResolvedReplica, server: ResolvedServer, previous: ReplicaHealthCheck | null, stopping?: AbortSignal): Promise<ProbeOutcome | null> {
    const live = await this.live?.ping(replica.id, CHECK_TIMEOUT_MS, stopping).catch((e: Error) => ({ ok: false, error: e.message }));
    if (live) return live;
    const idleStdio = replica.transport.type === 'stdio' && this.hubReports.enabled;
    if (idleStdio) {
      const intervalMs = server.healthCheckIntervalSeconds * 1000;
      const reported = await this.hubReports.fresh(replica.id, 2 * intervalMs + REPORT_GRACE_MS).catch((error: Error) => {
        this.logger.warn({ server: server.slug, replica: replica.name, err: error.message }, 'hub health reports unreadable');
        return null;
      });
      if (reported) return { ok: reported.ok, error: reported.error ? `${server.slug}/${replica.name}: ${reported.error}` : undefined, latencyMs: reported.latencyMs };
      // One that failed to start is tried at each check, so a fixed configuration shows at once.
      if (previous && previous.status !== HealthStatus.DOWN && previous.checkedAt.getTime() > Date.now() - IDLE_STDIO_CHECK_EVERY * intervalMs) return null;
    }
    const outcome = await this.probeAfresh(replica, server, stopping);
    return idleStdio && outcome.ok ? { ...outcome, note: IDLE_STDIO_NOTE } : outcome;
  }

  private async probeAfresh(replica: ResolvedReplica, server: ResolvedServer, stopping?: AbortSignal): Promise<ProbeOutcome> {
    try {
      // Without a live connection to ask, checked with the owner's credentials (a PER_USER server's too).
      const { value: transport } = await this.variables.resolve(replica.transport, { userId: server.ownerId, serverOwnerId: server.ownerId }, `${server.slug}/${replica.name}`);
      await probeServer(transport, CHECK_TIMEOUT_MS, this.egress, { asGateway: false, signal: stopping });
      return { ok: true };
    } catch (error) {
      if (error instanceof AuthorizationChallengeError) return { ok: true, note: ASKS_FOR_AUTHORIZATION_NOTE };
      const detail = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : undefined;
      if (detail) this.logger.debug({ server: server.slug, replica: replica.name, detail }, 'health check failed');
      return { ok: false, error: `${server.slug}/${replica.name}: ${(error as Error).message}` };
    }
  }

  private async announce(server: ResolvedServer, replica: ResolvedReplica, from: HealthStatus | null, check: ReplicaHealthCheck) {
    const shares = (await this.shares.sharesOf(ShareableType.SERVER, [server.id])).get(server.id) ?? [];
    const transition: HealthTransition = {
      serverId: server.id,
      ownerId: server.ownerId,
      serverSlug: server.slug,
      serverName: server.name,
      shares: shares.map(({ teamId, level }) => ({ teamId, level })),
      replicaId: replica.id,
      replicaName: replica.name,
      from,
      to: check.status,
      error: check.error,
      at: check.checkedAt.toISOString(),
    };
    this.logger.info({ server: server.slug, replica: replica.name, from, to: check.status, error: check.error }, 'server health changed');
    await this.bus.publish({ kind: 'server-health', id: replica.id, detail: { ...transition } });
  }

  private async prune(replicaId: string): Promise<void> {
    await this.checks.query(
      `DELETE FROM server_health_checks WHERE replica_id = $1 AND id NOT IN
         (SELECT id FROM server_health_checks WHERE replica_id = $1 ORDER BY checked_at DESC LIMIT ${HISTORY_KEPT_PER_REPLICA})`,
      [replicaId],
    );
  }
}
