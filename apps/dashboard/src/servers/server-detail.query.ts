import { graphql, type ResultOf } from '../graphql/graphql';

/** Everything the detail page shows, in one request (nested lists are batched by the hub). */
export const ServerDetailQuery = graphql(`
  query ServerDetail($id: ID!) {
    server(id: $id) {
      id name slug description tags transport command args cwd url enabled ownerId createdAt updatedAt credentialScope
      variables { name source }
      env { name } headers { name }
      lastError loadBalancing retryCalls weight priority healthCheckIntervalSeconds connectionPlacement
      capabilities {
        tools { name description }
        resources { uri name }
        resourceTemplates { uriTemplate name }
        prompts { name description }
        serverName serverVersion protocolVersion discoveredAt
      }
      replicas { id name transport command args cwd url weight priority enabled createdAt env { name } headers { name } }
      health { replicaId status latencyMs error note checkedAt }
      runtime { replicaId name weight priority connected forwarded protocolVersion inFlight restartAttempts lastError nextRetryAt circuit circuitOpenUntil }
      shares { teamId teamSlug teamName level sharedAt }
      oauth { clientId clientSecretSet scopes }
      upstreamAuthorization { state expiresAt scopes }
    }
  }
`);

export type ServerDetail = ResultOf<typeof ServerDetailQuery>['server'];

/** The server's own transport is its primary replica (same id); then its additional replicas. */
export function replicaNames(server: ServerDetail): Map<string, string> {
  return new Map([[server.id, 'primary'], ...server.replicas.map((r) => [r.id, r.name] as [string, string])]);
}
