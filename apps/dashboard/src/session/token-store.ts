/**
 * The signed-in session of this browser. The access token lives in memory only; the refresh token in localStorage so
 * a reload or a second tab stays signed in. Refresh tokens rotate and a reused one ends the session on the hub, so
 * tabs refresh one at a time (Web Locks) and always with the newest token in storage.
 */
const REFRESH_KEY = 'mcphub.refreshToken';
/** Refresh this long before the access token expires, so no request is sent with a token about to lapse. */
const EARLY_MS = 30_000;

export interface AuthPayloadTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

let access: { token: string; expiresAt: number } | null = null;
let inFlight: Promise<string | null> | null = null;
const listeners = new Set<() => void>();

export function storeTokens(payload: AuthPayloadTokens): void {
  access = { token: payload.accessToken, expiresAt: Date.now() + payload.expiresIn * 1000 };
  localStorage.setItem(REFRESH_KEY, payload.refreshToken);
  notify();
}

export function clearTokens(): void {
  access = null;
  localStorage.removeItem(REFRESH_KEY);
  notify();
}

export function hasSession(): boolean {
  return access !== null || localStorage.getItem(REFRESH_KEY) !== null;
}

/** Called when the session starts or ends (sign-in, sign-out, a refresh that failed). */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The access token in memory, if any (no refresh). */
export function currentAccessToken(): string | null {
  return access?.token ?? null;
}

export function accessTokenIsFresh(): boolean {
  return access !== null && access.expiresAt - EARLY_MS > Date.now();
}

/** A valid access token, refreshed when needed; null when this browser is not (or no longer) signed in. */
export async function accessToken(options: { force?: boolean } = {}): Promise<string | null> {
  if (!options.force && access && accessTokenIsFresh()) return access.token;
  inFlight ??= refreshSerialized().finally(() => (inFlight = null));
  return inFlight;
}

async function refreshSerialized(): Promise<string | null> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // navigator.locks exists only in secure contexts (https, localhost); elsewhere tabs may race and the hub ends the session.
  return locks ? locks.request('mcphub-refresh', refresh) : refresh();
}

async function refresh(): Promise<string | null> {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  if (!refreshToken) {
    if (access) clearTokens();
    return null;
  }
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn } }',
      variables: { refreshToken },
    }),
  }).catch(() => null);
  if (!response) throw new Error('The hub cannot be reached');
  const body = (await response.json().catch(() => null)) as { data?: { refreshToken?: AuthPayloadTokens } } | null;
  const tokens = body?.data?.refreshToken;
  if (!tokens) {
    clearTokens();
    return null;
  }
  storeTokens(tokens);
  return tokens.accessToken;
}

function notify(): void {
  for (const listener of listeners) listener();
}
