import { ServerCredentialScope, ServerTransport } from '#servers';
import { CatalogTransport, CatalogVariableKind, npxCommand, type CatalogEntryData, type CatalogVariable } from '../catalog-types.js';

/** A catalog variable and the credential name (`${NAME}`) the installed server refers to it by. */
export interface PlannedVariable {
  variable: CatalogVariable;
  credentialName: string;
}

/**
 * The naming rule. ENV variables keep their name: it is the one the package documents (BRAVE_API_KEY), and two servers
 * wanting the same one (GITHUB_TOKEN) usually mean the same secret, set once. HEADER names are not variable names
 * (`Authorization`) and say nothing of the service, so they are prefixed with the entry's own name:
 * io.github.github/github-mcp-server + Authorization → GITHUB_MCP_SERVER_AUTHORIZATION.
 */
export function credentialNameOf(entry: Pick<CatalogEntryData, 'name'>, variable: Pick<CatalogVariable, 'kind' | 'name'>): string {
  if (variable.kind === CatalogVariableKind.ENV) return variable.name;
  return `${constantCase(entry.name.split('/').at(-1)!)}_${constantCase(variable.name)}`;
}

function constantCase(text: string): string {
  const out = text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(out) ? `_${out}` : out || 'VALUE';
}

export function plannedVariables(entry: Pick<CatalogEntryData, 'name' | 'variables'>): PlannedVariable[] {
  return entry.variables.map((variable) => ({ variable, credentialName: credentialNameOf(entry, variable) }));
}

const SERVER_TRANSPORT: Record<CatalogTransport, ServerTransport> = {
  [CatalogTransport.STDIO]: ServerTransport.STDIO,
  [CatalogTransport.SSE]: ServerTransport.SSE,
  [CatalogTransport.STREAMABLE_HTTP]: ServerTransport.STREAMABLE_HTTP,
};

export interface PlannedServer {
  name: string;
  slug: string;
  transport: ServerTransport;
  command: string | null;
  args: string[];
  env: { name: string; value: string }[];
  url: string | null;
  headers: { name: string; value: string }[];
  description: string;
  tags: string[];
  credentialScope: ServerCredentialScope;
}

/**
 * The server an entry installs as: values are `${NAME}` templates only, so nothing secret is on the row. `included`
 * are the variables it refers to (the others, optional and unset, are left out: an unfilled reference fails a
 * connection, an absent optional variable does not).
 */
export function plannedServer(
  entry: CatalogEntryData,
  options: { slug: string; credentialScope: ServerCredentialScope; included: ReadonlySet<string> },
): PlannedServer {
  const refs = (kind: CatalogVariableKind) =>
    plannedVariables(entry)
      .filter((p) => p.variable.kind === kind && options.included.has(p.credentialName))
      .map((p) => ({ name: p.variable.name, value: `\${${p.credentialName}}` }));
  const [command, ...args] = npxCommand(entry);
  const stdio = entry.transport === CatalogTransport.STDIO;
  return {
    name: entry.title,
    slug: options.slug,
    transport: SERVER_TRANSPORT[entry.transport],
    command: stdio ? command : null,
    args: stdio ? args : [],
    env: stdio ? refs(CatalogVariableKind.ENV) : [],
    url: stdio ? null : entry.url,
    headers: stdio ? [] : refs(CatalogVariableKind.HEADER),
    description: entry.description.slice(0, 2000),
    tags: entry.tags.slice(0, 20),
    credentialScope: options.credentialScope,
  };
}
