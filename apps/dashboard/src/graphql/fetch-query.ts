import type { AnyVariables, Client, TypedDocumentNode } from 'urql';

/** One query straight from the network, for code outside a component's lifecycle (paging, loading every page). */
export async function fetchQuery<Data, Variables extends AnyVariables>(client: Client, document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
  const result = await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
  if (result.error) throw result.error;
  return result.data as Data;
}
