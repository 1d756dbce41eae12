import { graphql } from '../graphql/graphql';

/** The groups a key may be scoped to and connected with (the API answers with the person's own; admins: all). */
export const KeyGroupsQuery = graphql(`
  query KeyGroups {
    groups(first: 100) { id name slug endpoints { streamableHttp } }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);
