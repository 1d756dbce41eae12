import type { INestApplication } from '@nestjs/common';
import { mountDirectRoute } from './direct-route.js';
import { LegacySseController } from './legacy-sse.controller.js';
import { StreamableHttpController } from './streamable-http.controller.js';

/**
 * The agents' call paths, served as direct routes (see direct-route.ts) with the guards, interceptor and filter their
 * controllers declare: POST /mcp/:group and the legacy front-end's POST /sse/:group/message. Their other routes (the
 * GET streams, DELETE) stay on Nest. Mount before Nest registers its routes (app.init()/listen()), and after any
 * app.useGlobalGuards()/useGlobalInterceptors() call, so the boot-time check sees it.
 */
export function mountMcpDirectRoutes(app: INestApplication): void {
  mountDirectRoute(app, StreamableHttpController, 'post');
  mountDirectRoute(app, LegacySseController, 'message');
}
