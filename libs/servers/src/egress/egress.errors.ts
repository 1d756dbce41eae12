export enum EgressErrorCode {
  /** The destination is not allowed for this server's owner. */
  REFUSED = 'EGRESS_REFUSED',
}

/** What members see instead of connect errors and upstream replies (which would make the hub a port scanner). */
export const EGRESS_REFUSED_TEXT = "destination not allowed by the hub's egress policy";
export const CONNECT_FAILED_TEXT = "could not connect to the server's URL";

/**
 * A refused destination. `code` sits where errno codes sit, so code that reports `cause.code` (fetch failures,
 * socket errors) names it; the message starts with it too, because errors crossing Node's internal fetch may come
 * back as plain Errors with only the message. The message holds the details: for logs and admins only.
 */
export class EgressRefusedError extends Error {
  readonly code = EgressErrorCode.REFUSED;

  constructor(host: string, reason: string) {
    super(`${EgressErrorCode.REFUSED}: ${host} is ${reason}`);
    this.name = 'EgressRefusedError';
  }
}

/** True when the error or anything in its cause chain is a refusal (no instanceof: errors may cross realms). */
export function isEgressRefusal(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === EgressErrorCode.REFUSED) return true;
    if (typeof (e as Error).message === 'string' && (e as Error).message.includes(EgressErrorCode.REFUSED)) return true;
  }
  return false;
}

/** The text a member may see for a failed connection of a restricted server; the original goes in `cause`. */
export function memberSafeError(error: unknown): Error {
  return new Error(isEgressRefusal(error) ? EGRESS_REFUSED_TEXT : CONNECT_FAILED_TEXT, { cause: error });
}
