import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { Repository } from 'typeorm';
import { Clock, ConfigChangeBus, PINO } from '#core';
import { CallCapture, CaptureTarget } from './call-capture.entity.js';

/** Heals a missed pub/sub message (another hub's change) within this long; expiry itself is checked per call. */
const REFRESH_EVERY_MS = 60_000;

const slot = (kind: CaptureTarget, id: string) => `${kind}:${id}`;

/**
 * Which keys and groups are under a DEBUG capture, held in memory for the call path: a call asks two map lookups
 * and compares an expiry with the clock, never the database. Reloaded when the config bus reports a change (every
 * hub, through Redis pub/sub) and once a minute.
 */
@Injectable()
export class CallCaptureRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private expiries = new Map<string, number>();
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    @InjectRepository(CallCapture) private readonly captures: Repository<CallCapture>,
    private readonly bus: ConfigChangeBus,
    private readonly clock: Clock,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change, origin) => {
      // A local change was read by the service before it published it.
      if (change.kind !== 'call-capture' || origin === 'local') return;
      void (change.id === '*' ? this.reload() : this.reloadTarget(change.id));
    });
    this.timer = setInterval(() => void this.reload(), REFRESH_EVERY_MS);
    this.timer.unref();
    await this.reload();
  }

  onApplicationShutdown() {
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** Whether this call's arguments and results are to be kept: a capture on its key or its group that has not expired. */
  capturing(keyId: string, groupId: string | null): boolean {
    if (!this.expiries.size) return false;
    const now = this.clock.now();
    const key = this.expiries.get(slot(CaptureTarget.KEY, keyId));
    if (key !== undefined && key > now) return true;
    const group = groupId === null ? undefined : this.expiries.get(slot(CaptureTarget.GROUP, groupId));
    return group !== undefined && group > now;
  }

  /** Serialised; a failed reload keeps the previous view (captures still end at their expiry). */
  reload(): Promise<void> {
    return this.serialised(async () => {
      const rows = await this.captures.find();
      this.expiries = new Map(rows.map((r) => [slot(r.targetKind, r.targetId), r.expiresAt.getTime()]));
    });
  }

  /** Only the captures on this key or group (a change names its target, not the kind: both are read). */
  reloadTarget(targetId: string): Promise<void> {
    return this.serialised(async () => {
      const rows = await this.captures.findBy({ targetId });
      const next = new Map(this.expiries);
      for (const kind of Object.values(CaptureTarget)) next.delete(slot(kind, targetId));
      for (const r of rows) next.set(slot(r.targetKind, r.targetId), r.expiresAt.getTime());
      this.expiries = next;
    });
  }

  private serialised(load: () => Promise<void>): Promise<void> {
    this.loading = this.loading.then(async () => {
      try {
        await load();
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'call capture reload failed; keeping the previous view');
      }
    });
    return this.loading;
  }
}
