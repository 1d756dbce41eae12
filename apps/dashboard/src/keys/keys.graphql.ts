import { ClientConfigFields } from '../groups/client-snippets';
import { graphql, type ResultOf } from '../graphql/graphql';

/** The groups a key may be scoped to and connected with (the API answers with the person's own; admins: all). */
export const KeyGroupsQuery = graphql(`
  query KeyGroups {
    groups(first: 100) { id name slug }
  }
`);

/** One group's client snippets, for connecting right after a key is created (per group: a list of them costs too much). */
export const GroupClientConfigsQuery = graphql(`
  query GroupClientConfigs($slug: String!) {
    group(slug: $slug) { id clientConfigs { ...ClientConfigFields } }
  }
`, [ClientConfigFields]);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

/** The keys listing, a page at a time (newest first). */
export const KeyListQuery = graphql(`
  query KeyList($first: Int, $after: String, $userId: ID) {
    apiKeys(first: $first, after: $after, userId: $userId) {
      nodes {
        id name prefix groupIds tags perMinute perDay expiresAt revokedAt lastUsedAt createdAt
        owner { id email displayName }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

export type ListedKey = ResultOf<typeof KeyListQuery>['apiKeys']['nodes'][number];
