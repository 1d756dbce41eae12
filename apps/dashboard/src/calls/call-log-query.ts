import { graphql, type ResultOf, type VariablesOf } from '../graphql/graphql';

export const CallLogQuery = graphql(`
  query CallLog($filter: CallLogFilterInput, $first: Int, $after: String) {
    callLog(filter: $filter, first: $first, after: $after) {
      entries {
        id at keyId keyName userId groupId groupSlug serverId serverSlug replicaId method name outcome latencyMs error
        correlationId arguments result
      }
      endCursor
      hasNextPage
    }
  }
`);

export type CallEntry = ResultOf<typeof CallLogQuery>['callLog']['entries'][number];
export type CallOutcome = CallEntry['outcome'];
export type CallFilter = NonNullable<VariablesOf<typeof CallLogQuery>['filter']>;
