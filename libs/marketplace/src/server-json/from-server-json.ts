import { badInput, validate } from '#core';
import { CatalogTransport, CatalogVariableKind, publisherOf, type CatalogEntryData, type CatalogVariable } from '../catalog-types.js';
import { PUBLISHER_META, serverJsonSchema, type ServerJson } from './server-json.schema.js';

type Input = NonNullable<NonNullable<ServerJson['packages']>[number]['environmentVariables']>[number];

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * A catalog entry from `server.json` text. The entry runs the first npm package with a stdio transport, else the
 * first remote; anything else (PyPI, OCI …) is refused, since the hub starts packages with `npx` only. Errors name
 * the field (`serverJson.packages.0.identifier`).
 */
export function fromServerJson(text: string): CatalogEntryData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw badInput('serverJson', `is not JSON: ${(e as Error).message}`);
  }
  const server = validate(serverJsonSchema, parsed, 'serverJson');
  const base = {
    name: server.name,
    title: server.title?.trim() || server.name.split('/')[1],
    description: server.description,
    publisher: publisherOf(server.name),
    version: server.version,
    tags: tagsOf(server),
    repositoryUrl: server.repository?.url ?? null,
    docsUrl: server.websiteUrl ?? null,
  };
  const index = (server.packages ?? []).findIndex((p) => p.registryType === 'npm' && p.transport.type === 'stdio');
  if (index >= 0) {
    const pkg = server.packages![index];
    return {
      ...base,
      transport: CatalogTransport.STDIO,
      npmPackage: pkg.identifier,
      version: pkg.version ?? server.version,
      args: (pkg.packageArguments ?? []).map((a, i) => argumentText(a, `serverJson.packages.${index}.packageArguments.${i}`)),
      url: null,
      variables: (pkg.environmentVariables ?? []).map((v) => variable(CatalogVariableKind.ENV, v)),
    };
  }
  const remote = server.remotes?.[0];
  if (remote) {
    return {
      ...base,
      transport: remote.type === 'sse' ? CatalogTransport.SSE : CatalogTransport.STREAMABLE_HTTP,
      npmPackage: null,
      args: [],
      url: remote.url,
      variables: (remote.headers ?? []).map((h) => variable(CatalogVariableKind.HEADER, h)),
    };
  }
  throw badInput('serverJson.packages', 'needs an npm package with a stdio transport, or a remote (streamable-http or sse)');
}

function argumentText(arg: { type: 'positional' | 'named'; name?: string; value?: string; valueHint?: string }, field: string): string {
  const value = arg.value ?? (arg.valueHint ? `\${${arg.valueHint}}` : undefined);
  if (arg.type === 'named') {
    if (!arg.name) throw badInput(`${field}.name`, 'is required for a named argument');
    return value === undefined ? arg.name : `${arg.name}=${value}`;
  }
  if (value === undefined) throw badInput(`${field}.value`, 'is required for a positional argument (or give valueHint)');
  return value;
}

function variable(kind: CatalogVariableKind, input: Input): CatalogVariable {
  return {
    kind,
    name: input.name,
    description: input.description ?? '',
    required: input.isRequired ?? false,
    secret: input.isSecret ?? false,
    example: input.placeholder ?? (input.isSecret ? null : (input.value ?? input.default ?? null)),
  };
}

function tagsOf(server: ServerJson): string[] {
  const provided = server._meta?.[PUBLISHER_META];
  const tags = provided && typeof provided === 'object' ? (provided as { tags?: unknown }).tags : undefined;
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length > 20 || !tags.every((t) => typeof t === 'string' && TAG.test(t))) {
    throw badInput(`serverJson._meta.${PUBLISHER_META}.tags`, 'must be at most 20 lowercase tags (letters, digits, dashes)');
  }
  return [...new Set(tags as string[])];
}
