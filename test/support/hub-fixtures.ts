import type { GraphQLClient } from './graphql-client.js';

/** Admin-API calls e2e specs use to set the hub up, through the public GraphQL contract. */
export async function registerServer(client: GraphQLClient, input: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const { registerServer } = await client.data<{ registerServer: { id: string; slug: string } }>(
    'mutation($i: RegisterServerInput!){ registerServer(input: $i){ id slug } }',
    { i: input },
  );
  return registerServer;
}

export async function createGroup(client: GraphQLClient, slug: string, serverIds: string[]): Promise<{ id: string; slug: string }> {
  const { createGroup } = await client.data<{ createGroup: { id: string; slug: string } }>(
    'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id slug } }',
    { i: { name: slug, slug } },
  );
  for (const serverId of serverIds) {
    await client.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: createGroup.id, s: serverId });
  }
  return createGroup;
}

export async function createKey(client: GraphQLClient, input: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await client.data<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    'mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret apiKey { id } } }',
    { i: { name: 'e2e', ...input } },
  );
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}
