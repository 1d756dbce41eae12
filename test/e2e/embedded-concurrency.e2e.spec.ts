import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { testConfig } from '../support/test-config.js';

/**
 * The hub exactly as `npm start` runs it without DATABASE_URL (PGlite behind pglite-socket, embedded pool settings),
 * under concurrent admin requests. The `pglite` database target passes a DATABASE_URL and so uses the server pool.
 */
describe('embedded mode under concurrent requests', () => {
  let app: INestApplication;
  let admin: GraphQLClient;

  beforeAll(async () => {
    app = await createHubApp(testConfig({ DATABASE_URL: undefined }), { schemaFile: false, inMemoryDatabase: true });
    await app.listen(0, '127.0.0.1');
    admin = new GraphQLClient(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    await admin.login('admin@example.com', 'admin-password-123');
  });
  afterAll(() => app?.close());

  it('should answer every concurrent mutation correctly and number revisions without gaps', async () => {
    const { createGroup } = await admin.data<{ createGroup: { id: string } }>('mutation{ createGroup(input:{ name: "Busy" }){ id } }');
    const update = (i: number) =>
      admin.request(`mutation($id: ID!){ updateGroup(id: $id, input:{ description: "writer ${i}" }){ id servers { id } } }`, { id: createGroup.id });
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([...Array.from({ length: 10 }, (_, i) => update(i)), admin.request('{ me { id } groups { id } }')]);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    }
    const { groupRevisions } = await admin.data<{ groupRevisions: { revision: number }[] }>(
      'query($g: ID!){ groupRevisions(groupId: $g, first: 100){ revision } }',
      { g: createGroup.id },
    );
    expect(groupRevisions.map((r) => r.revision)).toEqual(Array.from({ length: 31 }, (_, i) => 31 - i));
  });
});
