import type { INestApplication } from '@nestjs/common';
import { mountDirectRoute } from './direct-route.js';
import { StreamableHttpController } from './streamable-http.controller.js';

/**
 * The agents' call path, POST /mcp/:group, served as a direct route (see direct-route.ts) with the guards,
 * interceptor and filter StreamableHttpController declares. Mount it before the routes Nest registers.
 */
export function mountMcpCallRoute(app: INestApplication): void {
  mountDirectRoute(app, StreamableHttpController, 'post');
}
