import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PINO, PinoNestLogger, requestContextMiddleware, type HubConfig, type Logger } from '#core';
import { mountMcpDirectRoutes } from '#mcp-gateway';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { graphqlBodyErrors } from './graphql-body-errors.js';
import { HubExpressAdapter } from './hub-express.adapter.js';
import { HubModule, type HubModuleOptions } from './hub.module.js';

/** Builds the hub (used by main.ts and by e2e specs, so both boot the same app). */
export async function createHubApp(config: HubConfig, options: HubModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(HubModule.forRoot(config, options), new HubExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new PinoNestLogger(app.get<Logger>(PINO)));
  app.set('trust proxy', config.http.trustedProxies);
  app.disable('x-powered-by');
  app.use(requestContextMiddleware);
  // The agents' call paths first: they skip the dashboard's layers and Nest's per-request pipeline (same protections).
  // It refuses to mount while a global guard or interceptor exists that it would skip: app.useGlobal*() calls go above.
  mountMcpDirectRoutes(app);
  // Only GraphQL uses the framework's JSON parser; MCP endpoints read their own bodies (JSON-RPC errors, limits).
  app.use('/graphql', json({ limit: '1mb' }), graphqlBodyErrors);
  // The React dashboard (apps/dashboard, built into DASHBOARD_DIR) at `/`; the hub's own routes come first.
  app.use(serveDashboard(config.dashboardDir));
  app.enableShutdownHooks();
  // Agents and balancers keep connections open and reuse them. Node closes an idle one after 5 s by default, and a
  // request a client writes on it just then is lost (ECONNRESET): idle connections stay longer than the usual
  // client and balancer idle timeouts (60 s), so the client is the one that closes them.
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}
