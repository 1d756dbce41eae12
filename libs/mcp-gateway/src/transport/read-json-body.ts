import type { Request } from 'express';
import { MAX_MESSAGE_BYTES_VARIABLE } from '#servers';
import { RpcCode } from '../protocol/json-rpc.js';
import { McpHttpError, badRequest } from './mcp-http-error.js';

/**
 * Reads and parses the request body here (not in a global parser) so bad JSON and huge bodies get JSON-RPC errors.
 * `maxBytes` is the hub's message bound (UPSTREAM_MAX_MESSAGE_BYTES), the same for agents as for upstreams.
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new McpHttpError(413, RpcCode.INVALID_REQUEST, `Request body exceeds the limit of ${maxBytes} bytes (${MAX_MESSAGE_BYTES_VARIABLE})`, {
      // The rest of the body is discarded; the connection ends after this answer.
      connection: 'close',
    });
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) throw new McpHttpError(415, RpcCode.INVALID_REQUEST, 'Content-Type must be application/json');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`Parse error: ${(error as Error).message}`, RpcCode.PARSE_ERROR);
  }
}
