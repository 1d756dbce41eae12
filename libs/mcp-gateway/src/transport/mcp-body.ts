import type { McpRequest } from '../auth/mcp-request.js';
import { readJsonBody } from './read-json-body.js';

/** The parsed JSON body, read once per request (the quota interceptor needs the method before the handler). */
export async function mcpBody(req: McpRequest, maxBytes: number): Promise<unknown> {
  if (req.mcp.body === undefined) req.mcp.body = await readJsonBody(req, maxBytes);
  return req.mcp.body;
}
