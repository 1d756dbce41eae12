import { createHash } from 'node:crypto';

/** What a pin covers: the parts of a tool an agent's model reads and trusts (name, description, input schema). */
export interface ToolDefinition {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown> | null;
}

export function toolDefinition(tool: Record<string, unknown>): ToolDefinition {
  return {
    name: String(tool.name),
    description: typeof tool.description === 'string' ? tool.description : null,
    inputSchema: tool.inputSchema && typeof tool.inputSchema === 'object' ? (tool.inputSchema as Record<string, unknown>) : null,
  };
}

/** JSON with object keys sorted at every level: the same definition always gives the same text (and hash). */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** SHA-256 of the canonical JSON of the definition, hex. */
export function definitionHash(definition: ToolDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}
