import { RpcCode, RpcError } from '../protocol/json-rpc.js';

/**
 * The API key's quota, charged by the tool-call pipeline at one step: after the call is authorized and planned
 * (name known, no rule denies it), right before it is forwarded. Calls the hub refuses itself are never charged.
 */
export interface QuotaGate {
  /** Charges one call; throws QuotaRefusedError when the key is over a limit or its quota cannot be checked. */
  charge(): Promise<void>;
}

/** An over-quota call: a JSON-RPC error whose data says when to retry (on HTTP: transport/rpc-http-status.ts). */
export class QuotaRefusedError extends RpcError {
  constructor(
    code: typeof RpcCode.RATE_LIMITED | typeof RpcCode.QUOTA_STORE_UNAVAILABLE,
    message: string,
    readonly retryAfterSeconds: number,
    window?: string,
  ) {
    super(code, message, window ? { retryAfterSeconds, window } : { retryAfterSeconds });
  }
}
