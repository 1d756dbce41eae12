import { createHash, randomBytes } from 'node:crypto';

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A fresh PKCE pair (RFC 7636, S256 only: `plain` would hand the verifier to whoever sees the URL). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

/** An unguessable `state` and the hash it is stored under (a leaked table row cannot finish a flow). */
export function newState(): { state: string; hash: string } {
  const state = base64url(randomBytes(32));
  return { state, hash: stateHash(state) };
}

export const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');
