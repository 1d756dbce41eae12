import { graphql, type ResultOf, type VariablesOf } from '../graphql/graphql';

export const AuditLogQuery = graphql(`
  query AuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      nodes {
        id at actorId actorLabel authMethod action targetType targetId outcome errorCode errorMessage ip userAgent correlationId
        changes { entity entityId operation fields { name secret oldValue newValue entries } }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

export type AuditEntry = ResultOf<typeof AuditLogQuery>['auditLog']['nodes'][number];
export type AuditOutcome = AuditEntry['outcome'];
export type AuditFilter = NonNullable<VariablesOf<typeof AuditLogQuery>['filter']>;

/** Every outcome the API knows (the type makes this exhaustive). */
export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = { SUCCESS: 'Success', DENIED: 'Denied', FAILED: 'Failed' };
