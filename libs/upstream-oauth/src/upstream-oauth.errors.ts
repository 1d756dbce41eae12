import { DomainError, ErrorCode } from '#core';
import { OAuthProtocolError } from './protocol/oauth-http.js';

/** What the person must do: authorize the server in the dashboard (their agents get this as JSON-RPC -32005). */
export const authorizationRequired = (serverLabel: string, why = 'needs your authorization') =>
  new DomainError(
    ErrorCode.UPSTREAM_AUTHORIZATION_REQUIRED,
    `Server "${serverLabel}" ${why}: open the dashboard, Servers → ${serverLabel}, and choose Authorize`,
    { server: serverLabel },
  );

/** An authorization server or the resource answered something unusable: named, without secrets. */
export function oauthFailure(serverLabel: string, error: unknown): DomainError {
  const detail = error instanceof OAuthProtocolError ? error.message : `the authorization server could not be reached (${(error as Error)?.message ?? String(error)})`;
  return new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, `Server "${serverLabel}": ${detail}`, { server: serverLabel });
}
