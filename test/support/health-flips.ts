import type { INestApplication } from '@nestjs/common';
import { ServerHealthService } from '#servers';
import type { GraphQLClient } from './graphql-client.js';
import { waitFor } from './upstreams.js';

/** Nothing listens on port 9 of loopback: connecting fails at once (tests and health checks stay fast). */
export const DEAD_URL = 'http://127.0.0.1:9/mcp';

/**
 * Makes a server report `status` to the health checker: its owner points it at a live upstream or at a dead port,
 * then it is checked until the status shows (the gateway's connection state and retry backoff may lag a moment).
 * A change of status is a transition, announced to `serverStatusChanged` subscribers.
 */
export async function turnServer(app: INestApplication, owner: GraphQLClient, serverId: string, status: 'HEALTHY' | 'DOWN', liveUrl: string): Promise<void> {
  await owner.data('mutation($id: ID!, $u: String!){ updateServer(id: $id, input: { url: $u }){ id } }', { id: serverId, u: status === 'HEALTHY' ? liveUrl : DEAD_URL });
  const health = app.get(ServerHealthService);
  await waitFor(async () => (await health.check(serverId, serverId))?.status === status, 15_000, `server ${serverId} to be ${status}`);
}
