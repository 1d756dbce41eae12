import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * The server answered 401 with an OAuth challenge that points at its protected resource metadata (RFC 9728, as the
 * MCP authorization spec asks): it is up, and wants each caller's authorization.
 */
export class AuthorizationChallengeError extends Error {
  constructor() {
    super('answered 401 and asks for authorization (OAuth)');
    this.name = 'AuthorizationChallengeError';
  }
}

/** True for `WWW-Authenticate: Bearer …, resource_metadata="…"`; a bare 401 (a wrong static key) is not a challenge. */
export function isAuthorizationChallenge(status: number, wwwAuthenticate: string | null): boolean {
  return status === 401 && !!wwwAuthenticate && /^\s*Bearer\b/i.test(wwwAuthenticate) && /\bresource_metadata\s*=/i.test(wwwAuthenticate);
}

/** The same fetch, noting whether any answer was an OAuth challenge (the SDK's errors keep only the status). */
export function watchChallenges(fetch: FetchLike): { fetch: FetchLike; challenged: () => boolean } {
  let challenged = false;
  return {
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      if (isAuthorizationChallenge(response.status, response.headers.get('www-authenticate'))) challenged = true;
      return response;
    },
    challenged: () => challenged,
  };
}
