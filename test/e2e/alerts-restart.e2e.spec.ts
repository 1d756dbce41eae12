import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres } from '#core';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/upstreams.js';

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
}

/** Embedded mode keeps queued jobs in memory: a delivery waiting for its retry must survive a restart of the hub. */
describe('alert deliveries across a restart of an embedded hub (in-process jobs)', () => {
  let db: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let receiver: Server;
  let status = 500;
  let requests = 0;
  let app: INestApplication | undefined;
  // One config for both runs: the same encryption key opens the channel's sealed URL and secret after the restart.
  let config: ReturnType<typeof testConfig>;

  const boot = async () => {
    app = await createHubApp(config, { schemaFile: false });
    await app.listen(0, '127.0.0.1');
    const client = new GraphQLClient(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    await client.login('admin@example.com', 'admin-password-123');
    return client;
  };
  const delivery = async (client: GraphQLClient, channelId: string) =>
    (
      await client.data<{ notificationDeliveries: { nodes: Delivery[] } }>('query($c: ID!){ notificationDeliveries(channelId: $c){ nodes { id status attempts responseStatus } } }', {
        c: channelId,
      })
    ).notificationDeliveries.nodes[0];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    db = await startEmbeddedPostgres();
    // A retry far in the future: only the restart can get the delivery going again within the test.
    config = testConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: '1', ALERT_DELIVERY_BACKOFF_MS: '600000' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.stop();
    receiver?.close();
  });

  it('should send a delivery left waiting for its retry once the hub is back', async () => {
    const first = await boot();
    const { createNotificationChannel } = await first.data<{ createNotificationChannel: { channel: { id: string } } }>(
      'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ channel { id } } }',
      { i: { name: 'restart', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['KEY_QUOTA_NEAR'] } },
    );
    const channelId = createNotificationChannel.channel.id;
    await first.data('mutation($id: ID!){ testNotificationChannel(id: $id){ id } }', { id: channelId });
    await waitFor(async () => (await delivery(first, channelId))?.status === 'RETRYING', 15_000, 'the first attempt to fail');
    // Shutdown does not wait out the 10-minute backoff.
    const closing = performance.now();
    await app!.close();
    app = undefined;
    expect(performance.now() - closing).toBeLessThan(10_000);

    status = 200;
    const second = await boot();
    const done = await waitFor(async () => {
      const d = await delivery(second, channelId);
      return d?.status === 'SUCCEEDED' ? d : undefined;
    }, 15_000, 'the delivery to be sent after the restart');
    expect(done).toMatchObject({ attempts: 2, responseStatus: 200 });
    expect(requests).toBe(2);
  });
});
