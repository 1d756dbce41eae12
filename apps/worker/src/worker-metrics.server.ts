import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HUB_CONFIG, MetricsRegistry, PINO, serveMetrics, type HubConfig, type Logger } from '#core';

/**
 * The worker has no HTTP API; with WORKER_METRICS_PORT set it serves GET /metrics (job runs, health states, Node
 * metrics) on that port, under the same rules as the hub's /metrics.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: MetricsRegistry,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.workerPort;
    if (port === undefined || !this.config.metrics.enabled) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://worker').pathname !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      serveMetrics(req, res, this.config.metrics, this.registry).catch((error: Error) => {
        this.logger.error({ err: error.message }, 'metrics scrape failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.http.host, () => resolve());
    });
    this.server = server;
    this.logger.info({ port: this.port }, 'worker metrics listening');
  }

  /** The listening server, if any (specs attach to its connections). */
  get httpServer(): Server | undefined {
    return this.server;
  }

  /** The bound port (WORKER_METRICS_PORT, or the one picked for 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
