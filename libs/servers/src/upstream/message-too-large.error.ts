/** Request ids are numbers or strings (JSON-RPC 2.0). */
export type MessageId = string | number;

/** The variable that sets the bound; errors name it so an operator knows what to raise. */
export const MAX_MESSAGE_BYTES_VARIABLE = 'UPSTREAM_MAX_MESSAGE_BYTES';

/**
 * An upstream sent one message (stdio line, HTTP body, SSE event) over the configured bound. `id` is the request
 * it answered when that could be told; `resynchronised` is false when the stream had to be dropped.
 */
export class MessageTooLargeError extends Error {
  readonly code = 'MESSAGE_TOO_LARGE';

  constructor(
    readonly limit: number,
    readonly id: MessageId | undefined,
    readonly resynchronised: boolean,
  ) {
    super(`message larger than the limit of ${limit} bytes (${MAX_MESSAGE_BYTES_VARIABLE})`);
    this.name = 'MessageTooLargeError';
  }
}

export const isMessageTooLarge = (error: unknown): error is MessageTooLargeError =>
  (error as { code?: unknown } | null)?.code === 'MESSAGE_TOO_LARGE' && error instanceof Error;

const HEAD_ID = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")/;
const TAIL_ID = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/;

/**
 * The top-level id of a JSON-RPC message seen only by its first and last bytes: `{"jsonrpc":"2.0","id":7,…` or
 * `…,"id":7}` (the SDK writes `{result, jsonrpc, id}`). Both patterns are anchored, so ids nested in a result
 * are not mistaken for it.
 */
export function peekMessageId(head: string, tail = ''): MessageId | undefined {
  const match = HEAD_ID.exec(head) ?? TAIL_ID.exec(tail);
  if (!match) return undefined;
  const raw = match[1];
  try {
    return raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
  } catch {
    return undefined;
  }
}

/** Bytes kept from each end of an oversized message to find its id. */
export const PEEK_BYTES = 512;
