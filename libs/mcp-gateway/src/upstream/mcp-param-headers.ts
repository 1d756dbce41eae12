import { encodeHeaderValue } from './stateless-envelope.js';

/** An argument a tool asks to see as an `Mcp-Param-{header}` HTTP header (the `x-mcp-header` schema extension). */
export interface ParamDeclaration {
  path: string[];
  header: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The declarations of a tool's input schema, reached through `properties` only (elsewhere they are invalid). */
export function paramDeclarations(inputSchema: unknown): ParamDeclaration[] {
  const found: ParamDeclaration[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    const header = schema['x-mcp-header'];
    if (path.length && typeof header === 'string' && TOKEN.test(header)) found.push({ path, header });
    const properties = schema.properties;
    if (properties && typeof properties === 'object') for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
  };
  visit(inputSchema, []);
  return found;
}

/** The headers for one call: primitive argument values only; absent or null ones are left out, as the revision says. */
export function paramHeaders(declarations: ParamDeclaration[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of declarations) {
    let value: unknown = args;
    for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string') headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(value);
    else if (typeof value === 'boolean') headers[`mcp-param-${header.toLowerCase()}`] = String(value);
    else if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) headers[`mcp-param-${header.toLowerCase()}`] = String(value);
  }
  return headers;
}
