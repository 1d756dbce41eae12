import { GraphQLClient } from './graphql-client.js';

/** Admin-API calls e2e specs use to set the hub up, through the public GraphQL contract. */
export async function registerServer(client: GraphQLClient, input: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const { registerServer } = await client.data<{ registerServer: { id: string; slug: string } }>(
    'mutation($i: RegisterServerInput!){ registerServer(input: $i){ id slug } }',
    { i: input },
  );
  return registerServer;
}

/** PREFIX_ALWAYS unless told: the specs using this were written for `<server>__<tool>` names. */
export async function createGroup(
  client: GraphQLClient,
  slug: string,
  serverIds: string[],
  toolNaming: 'PREFIX_ALWAYS' | 'PREFIX_WHEN_NEEDED' | 'NONE' = 'PREFIX_ALWAYS',
): Promise<{ id: string; slug: string }> {
  const { createGroup } = await client.data<{ createGroup: { id: string; slug: string } }>(
    'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id slug } }',
    { i: { name: slug, slug, toolNaming } },
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

export const MEMBER_PASSWORD = 'member-password-1';

/** An account created by the admin and signed in; `role` MEMBER unless given. */
export async function createPerson(admin: GraphQLClient, hubUrl: string, email: string, role = 'MEMBER'): Promise<GraphQLClient & { userId: string }> {
  const { createUser } = await admin.data<{ createUser: { id: string } }>('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
    i: { email, password: MEMBER_PASSWORD, role },
  });
  const client = new GraphQLClient(hubUrl);
  await client.login(email, MEMBER_PASSWORD);
  return Object.assign(client, { userId: createUser.id });
}

export async function createTeam(owner: GraphQLClient, slug: string): Promise<{ id: string; slug: string }> {
  const { createTeam } = await owner.data<{ createTeam: { id: string; slug: string } }>('mutation($i: CreateTeamInput!){ createTeam(input: $i){ id slug } }', {
    i: { name: slug, slug },
  });
  return createTeam;
}

export async function addTeamMember(owner: GraphQLClient, teamId: string, userId: string, role = 'MEMBER'): Promise<void> {
  await owner.data('mutation($t: ID!, $u: ID!, $r: TeamRole){ addTeamMember(teamId: $t, userId: $u, role: $r){ id } }', { t: teamId, u: userId, r: role });
}

export async function share(owner: GraphQLClient, kind: 'Server' | 'Group', resourceId: string, teamId: string, level: string): Promise<void> {
  const idArg = kind === 'Server' ? 'serverId' : 'groupId';
  await owner.data(`mutation($r: ID!, $t: ID!, $l: AccessLevel!){ share${kind}(${idArg}: $r, teamId: $t, level: $l){ id } }`, { r: resourceId, t: teamId, l: level });
}
