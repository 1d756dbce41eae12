import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcNotification } from '../protocol/json-rpc.js';

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const ACKNOWLEDGED = 'notifications/subscriptions/acknowledged';

export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

export interface ListenTransport {
  /** Opens one `subscriptions/listen` exchange; resolves or rejects when its stream ends. */
  exchange(filter: SubscriptionFilter, onMessage: (message: JSONRPCMessage) => void, signal: AbortSignal): Promise<void>;
  /** A notification the stream carried (list_changed, resources/updated). */
  deliver(message: JsonRpcNotification): void;
}

/** What a re-opened stream may have missed: the lists it watches are announced as changed (the pool refetches). */
const MISSED: [keyof SubscriptionFilter, string][] = [
  ['toolsListChanged', 'notifications/tools/list_changed'],
  ['promptsListChanged', 'notifications/prompts/list_changed'],
  ['resourcesListChanged', 'notifications/resources/list_changed'],
];

/**
 * The one `subscriptions/listen` stream a 2026-07-28 upstream connection keeps open, for the list changes the server
 * advertises (`listChanged`) and the resources agents subscribed to. Re-opened with backoff when it drops, and at
 * once when the subscribed resources change (the filter is fixed per stream).
 */
export class ListenStream {
  private readonly resources = new Set<string>();
  private abort?: AbortController;
  private wake?: () => void;
  private stopped = false;
  private running = false;

  constructor(
    private readonly capabilities: Record<string, unknown>,
    private readonly transport: ListenTransport,
  ) {}

  start(): void {
    if (this.running || this.stopped || !this.wanted()) return;
    this.running = true;
    void this.loop();
  }

  setResource(uri: string, on: boolean): void {
    if (on === this.resources.has(uri)) return;
    if (on) this.resources.add(uri);
    else this.resources.delete(uri);
    if (this.running) this.abort?.abort();
    else this.start();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
  }

  private filter(): SubscriptionFilter {
    const has = (capability: string, flag: string) => !!(this.capabilities[capability] as Record<string, unknown> | undefined)?.[flag];
    const filter: SubscriptionFilter = {};
    if (has('tools', 'listChanged')) filter.toolsListChanged = true;
    if (has('prompts', 'listChanged')) filter.promptsListChanged = true;
    if (has('resources', 'listChanged')) filter.resourcesListChanged = true;
    if (this.resources.size) filter.resourceSubscriptions = [...this.resources];
    return filter;
  }

  private wanted(): boolean {
    return Object.keys(this.filter()).length > 0;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let opened = false;
    while (!this.stopped && this.wanted()) {
      const abort = (this.abort = new AbortController());
      const filter = this.filter();
      let acknowledged = false;
      await this.transport
        .exchange(
          filter,
          (message) => {
            const notification = message as JsonRpcNotification;
            if (!('method' in notification) || 'id' in notification) return; // the closing result, or noise
            if (notification.method === ACKNOWLEDGED) {
              acknowledged = true;
              failures = 0;
              // Changes while no stream was open are not replayed: announce what this stream watches.
              if (opened) for (const [flag, method] of MISSED) if (filter[flag]) this.transport.deliver({ jsonrpc: '2.0', method });
              opened = true;
              return;
            }
            this.transport.deliver(notification);
          },
          abort.signal,
        )
        .catch(() => undefined);
      if (this.stopped) break;
      // Re-opened on purpose (the subscribed resources changed): at once.
      if (abort.signal.aborted) continue;
      if (!acknowledged) failures += 1;
      await this.pause(Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** failures));
    }
    this.running = false;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
