import type { FuzzContext, FuzzCase } from './jsonrpc-cases.js';
import type { Rng } from './prng.js';

const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '!', '=', '$', '...', '@include(if: true)', '@skip', 'query', 'mutation', 'subscription', 'fragment', 'on', 'me', 'id', 'email', 'groups', 'apiKeys', 'servers', 'User', '"x"', '"""', '1', '-1.5e99', 'true', 'null', '#', ',', '\\u0000', 'üñí', '__typename', '__schema'];
const FIELDS = ['me { id email role }', 'groups { id slug name }', 'apiKeys { nodes { id name } }', 'servers { id name }', '__typename', '__schema { queryType { name } }'];
const UNKNOWN = ['nope', 'me { password }', 'me { id nope }', 'groups(first: "ten") { id }', 'groups(first: 100000) { id }', 'server(id: 1) { id }', 'group { id }', 'users { id }'];

/** A selection nested `depth` levels through fields that exist (group -> servers -> ... ) or not. */
function deep(rng: Rng, depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = `${rng.pick(['servers', 'members', 'group', 'owner', 'replicas'])} { ${selection} }`;
  return `{ groups { ${selection} } }`;
}

function document(rng: Rng): { kind: string; query: unknown; variables?: unknown; operationName?: unknown } {
  switch (rng.int(10)) {
    case 0: return { kind: 'token-soup', query: Array.from({ length: 1 + rng.int(30) }, () => rng.pick(TOKENS)).join(' ') };
    case 1: return { kind: 'garbage-string', query: rng.string(200) };
    case 2: return { kind: 'deep', query: deep(rng, 1 + rng.int(10)) };
    case 3: return { kind: 'aliases', query: `{ ${Array.from({ length: 1 + rng.int(20) }, (_, i) => `a${i}: ${rng.pick(FIELDS)}`).join(' ')} }` };
    case 4: return { kind: 'unknown-field', query: `{ ${rng.pick(UNKNOWN)} }` };
    case 5:
      return {
        kind: 'wrong-variable-type',
        query: rng.pick(['query($id: ID!){ server(id: $id){ id } }', 'query($s: String!){ group(slug: $s){ id } }', 'query($n: Int){ groups(first: $n){ id } }', 'mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret } }']),
        variables: rng.chance(0.8) ? { id: rng.json(1), s: rng.json(1), n: rng.json(1), i: rng.json(2) } : rng.json(1),
      };
    case 6: return { kind: 'wrong-shape', query: rng.json(2), variables: rng.json(1), operationName: rng.json(0) };
    case 7: return { kind: 'operation-name', query: 'query A { me { id } } query B { groups { id } }', operationName: rng.pick([undefined, 'A', 'C', 1, null]) };
    case 8: return { kind: 'subscription-over-http', query: 'subscription { serverStatusChanged { replicaName } }' };
    default: return { kind: 'valid', query: `{ ${rng.pick(FIELDS)} }` };
  }
}

/** One malformed GraphQL request to /graphql as the signed-in member. */
export function graphqlCase(rng: Rng, ctx: FuzzContext): FuzzCase {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${ctx.memberToken}` };
  const url = `${ctx.hubUrl}/graphql`;
  const roll = rng.int(20);
  if (roll < 14) {
    const doc = document(rng);
    return { kind: `graphql:${doc.kind}`, protocol: 'graphql', method: 'POST', url, headers, body: JSON.stringify({ query: doc.query, variables: doc.variables, operationName: doc.operationName }) };
  }
  if (roll < 16) {
    const batch = Array.from({ length: 1 + rng.int(4) }, () => ({ query: document(rng).query }));
    return { kind: 'graphql:batch', protocol: 'graphql', method: 'POST', url, headers, body: JSON.stringify(batch) };
  }
  if (roll < 17) {
    const text = JSON.stringify({ query: document(rng).query });
    return { kind: 'graphql:bad-json', protocol: 'graphql', method: 'POST', url, headers, body: text.slice(0, rng.int(text.length)) + rng.pick(['', '\u0000', '}}']) };
  }
  if (roll < 18) {
    const type = rng.pick(['text/plain', 'application/graphql', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16']);
    return { kind: 'graphql:content-type', protocol: 'graphql', method: 'POST', url, headers: { ...headers, 'content-type': type }, body: JSON.stringify({ query: '{ me { id } }' }) };
  }
  if (roll < 19) {
    // GET: Apollo serves queries only, and wants a CSRF-safe header.
    const query = encodeURIComponent(String(document(rng).query));
    return { kind: 'graphql:get', protocol: 'graphql', method: 'GET', url: `${url}?query=${query}`, headers: { authorization: headers.authorization, 'apollo-require-preflight': 'true' } };
  }
  const bad = rng.pick(['Bearer x', 'Bearer ', `Bearer ${ctx.memberToken}x`, 'Basic abc']);
  return { kind: 'graphql:bad-token', protocol: 'graphql', method: 'POST', url, headers: { ...headers, authorization: bad }, body: JSON.stringify({ query: '{ me { id } }' }) };
}
