export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: string[] }[];
}

/** Minimal GraphQL-over-HTTP client for e2e specs: real HTTP, no test-only shortcuts. */
export class GraphQLClient {
  constructor(
    private readonly url: string,
    public token?: string,
  ) {}

  async request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    return (await this.send<T>(query, variables)).body;
  }

  /** The response with the request id the hub answered with (X-Request-Id); extra headers such as User-Agent. */
  async send<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ body: GraphQLResponse<T>; requestId: string | null }> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await res.json()) as GraphQLResponse<T>, requestId: res.headers.get('x-request-id') };
  }

  /** Throws with the server's message when the response has errors. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length) throw new Error(`GraphQL error: ${res.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
    return res.data!;
  }

  async login(email: string, password: string): Promise<string> {
    const { login } = await this.data<{ login: { accessToken: string } }>(
      'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }',
      { e: email, p: password },
    );
    this.token = login.accessToken;
    return login.accessToken;
  }
}

export function errorCode(res: GraphQLResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.code;
}
