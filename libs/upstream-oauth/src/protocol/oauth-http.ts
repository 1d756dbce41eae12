import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { readBoundedText } from '#core';

/** Metadata, registration and token answers are small; a larger one is refused rather than buffered. */
const MAX_BODY_BYTES = 256 * 1024;
export const OAUTH_HTTP_TIMEOUT_MS = 10_000;

/** What an authorization server or resource answered that the hub cannot use; the message is shown to the person. */
export class OAuthProtocolError extends Error {
  constructor(
    message: string,
    /** The OAuth `error` code when the server sent one (`invalid_grant` means the grant is gone). */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'OAuthProtocolError';
  }
}

export function readBounded(res: Response): Promise<string> {
  return readBoundedText(res, MAX_BODY_BYTES, () => new OAuthProtocolError(`${res.url || 'the server'} answered more than ${MAX_BODY_BYTES} bytes`));
}

/** GET a JSON document; null when it is not there (404/other 4xx), an error when unreachable or not JSON. */
export async function getJson(fetch: FetchLike, url: string): Promise<Record<string, unknown> | null> {
  const res = await fetch(url, { headers: { accept: 'application/json', 'mcp-protocol-version': '2025-06-18' }, signal: AbortSignal.timeout(OAUTH_HTTP_TIMEOUT_MS) });
  const text = await readBounded(res);
  if (res.status >= 400 && res.status < 500) return null;
  if (!res.ok) throw new OAuthProtocolError(`${url} answered HTTP ${res.status}`);
  return parseObject(text, url);
}

/** POST a form (or JSON for registration) and parse the JSON answer; OAuth errors keep their `error` code. */
export async function postForJson(
  fetch: FetchLike,
  url: string,
  body: URLSearchParams | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const form = body instanceof URLSearchParams;
  const res = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
    body: form ? body.toString() : JSON.stringify(body),
    signal: AbortSignal.timeout(OAUTH_HTTP_TIMEOUT_MS),
    redirect: 'error',
  });
  const text = await readBounded(res);
  const json = text.trim() ? parseObject(text, url) : {};
  if (!res.ok) {
    const code = typeof json.error === 'string' ? json.error : undefined;
    const description = typeof json.error_description === 'string' ? `: ${json.error_description.slice(0, 200)}` : '';
    throw new OAuthProtocolError(`${new URL(url).origin} refused the request (HTTP ${res.status}${code ? `, ${code}` : ''}${description})`, code);
  }
  return { status: res.status, json };
}

function parseObject(text: string, url: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new OAuthProtocolError(`${url} did not answer a JSON object`);
}
