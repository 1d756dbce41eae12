import { graphql, type ResultOf } from '../graphql/graphql';

export const CatalogEntriesQuery = graphql(`
  query CatalogEntries($search: String, $tag: String, $transport: CatalogTransport, $first: Int, $after: String) {
    catalogEntries(search: $search, tag: $tag, transport: $transport, first: $first, after: $after) {
      nodes {
        id name title description publisher version transport npmPackage url command tags repositoryUrl docsUrl
        variables { kind name description required secret example }
        versions { version isLatest variables { kind name description required secret example } }
      }
      endCursor
      hasNextPage
    }
  }
`);

export type CatalogEntryView = ResultOf<typeof CatalogEntriesQuery>['catalogEntries']['nodes'][number];
export type CatalogTransportName = CatalogEntryView['transport'];

export const TRANSPORT_LABELS: Record<CatalogTransportName, string> = { STDIO: 'Local (npx)', STREAMABLE_HTTP: 'Remote (HTTP)', SSE: 'Remote (SSE)' };
