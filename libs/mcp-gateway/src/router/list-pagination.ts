import { RpcCode, RpcError } from '../protocol/json-rpc.js';

/** Aggregated lists are served from memory; pages only matter for very large groups. */
export const PAGE_SIZE = 500;

/** Gateway-minted opaque cursor over the aggregated list. A cursor the hub did not mint is -32602. */
export function paginate<T>(items: T[], cursor: unknown): { page: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined && cursor !== null) {
    const match = typeof cursor === 'string' ? /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
    if (!match) throw new RpcError(RpcCode.INVALID_PARAMS, 'Invalid cursor: pass back the nextCursor of a previous list response');
    offset = Number(match[1]);
  }
  const page = items.slice(offset, offset + PAGE_SIZE);
  const next = offset + PAGE_SIZE;
  return next < items.length ? { page, nextCursor: Buffer.from(`o${next}`).toString('base64url') } : { page };
}
