import { CatalogTransport, type CatalogEntryData, type CatalogVariable } from '../catalog-types.js';
import { PUBLISHER_META } from './server-json.schema.js';

export const SERVER_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** The entry as the MCP Registry publishes it (`server.json`); `fromServerJson` reads it back to the same entry. */
export function toServerJson(entry: CatalogEntryData): Record<string, unknown> {
  const inputs = (variables: CatalogVariable[]) =>
    variables.map((v) => ({
      name: v.name,
      description: v.description,
      isRequired: v.required,
      isSecret: v.secret,
      ...(v.example !== null ? { placeholder: v.example } : {}),
    }));
  const transport =
    entry.transport === CatalogTransport.STDIO
      ? {
          packages: [
            {
              registryType: 'npm',
              registryBaseUrl: 'https://registry.npmjs.org',
              identifier: entry.npmPackage,
              version: entry.version,
              transport: { type: 'stdio' },
              ...(entry.args.length ? { packageArguments: entry.args.map((value) => ({ type: 'positional', value })) } : {}),
              environmentVariables: inputs(entry.variables),
            },
          ],
        }
      : { remotes: [{ type: entry.transport === CatalogTransport.SSE ? 'sse' : 'streamable-http', url: entry.url, headers: inputs(entry.variables) }] };
  return {
    $schema: SERVER_SCHEMA_URL,
    name: entry.name,
    title: entry.title,
    description: entry.description,
    version: entry.version,
    ...(entry.repositoryUrl ? { repository: { url: entry.repositoryUrl, source: sourceOf(entry.repositoryUrl) } } : {}),
    ...(entry.docsUrl ? { websiteUrl: entry.docsUrl } : {}),
    ...transport,
    ...(entry.tags.length ? { _meta: { [PUBLISHER_META]: { tags: entry.tags } } } : {}),
  };
}

const sourceOf = (url: string) => (/^https:\/\/github\.com\//.test(url) ? 'github' : /^https:\/\/gitlab\.com\//.test(url) ? 'gitlab' : 'other');
