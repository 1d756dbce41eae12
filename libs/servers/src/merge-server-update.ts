import { DomainError, ErrorCode, badInput } from '#core';
import { ServerTransport, type ServerCredentialScope } from './mcp-server.entity.js';
import type { ServerConfigInput, ServerUpdateInput } from './server-input.schema.js';

/** A stored entry opened for editing; `value` undefined = the ciphertext can no longer be decrypted. */
export interface OpenedEntry {
  name: string;
  value: string | undefined;
}

/** The stored server in clear, as the starting point of an update. */
export interface StoredServerConfig {
  slug: string;
  name: string;
  transport: ServerTransport;
  command: string | null;
  args: string[];
  env: OpenedEntry[];
  cwd: string | null;
  url: string | null;
  headers: OpenedEntry[];
  description: string | null;
  tags: string[];
  enabled: boolean;
  credentialScope: ServerCredentialScope;
}

/**
 * Applies a partial update to the stored configuration; the result is validated as a whole afterwards.
 * null leaves name/slug/transport/args/env/headers/tags/enabled unchanged and clears command/cwd/url/description.
 * Switching transport drops the old transport's fields unless the update sets them (and then validation refuses).
 */
export function mergeServerUpdate(current: StoredServerConfig, update: ServerUpdateInput): ServerConfigInput {
  const transport = update.transport ?? current.transport;
  const switched = transport !== current.transport;
  const keep = <T>(given: T | null | undefined, stored: T, cleared: T): T =>
    given !== undefined && given !== null ? given : switched ? cleared : stored;
  const nullable = <T>(given: T | null | undefined, stored: T | null): T | null =>
    given !== undefined ? given : switched ? null : stored;
  return {
    name: update.name ?? current.name,
    slug: update.slug ?? current.slug,
    transport,
    command: nullable(update.command, current.command),
    args: keep(update.args, current.args, []),
    env: update.env ? mergeEntries('env', update.env, current.env, false) : switched ? [] : keepAll('env', current),
    cwd: nullable(update.cwd, current.cwd),
    url: nullable(update.url, current.url),
    headers: update.headers
      ? mergeEntries('headers', update.headers, current.headers, true)
      : switched
        ? []
        : keepAll('headers', current),
    description: update.description !== undefined ? update.description : current.description,
    tags: update.tags ?? current.tags,
    enabled: update.enabled ?? current.enabled,
    credentialScope: update.credentialScope ?? current.credentialScope,
  };
}

function mergeEntries(
  field: 'env' | 'headers',
  given: { name: string; value?: string | null }[],
  stored: OpenedEntry[],
  caseInsensitive: boolean,
): { name: string; value: string }[] {
  const key = (name: string) => (caseInsensitive ? name.toLowerCase() : name);
  const byName = new Map(stored.map((e) => [key(e.name), e]));
  return given.map((entry, i) => {
    if (entry.value !== null && entry.value !== undefined) return { name: entry.name, value: entry.value };
    const old = byName.get(key(entry.name));
    if (!old) throw badInput(`input.${field}.${i}.value`, `is required: there is no stored value named "${entry.name}" to keep`);
    if (old.value === undefined) {
      throw badInput(`input.${field}.${i}.value`, `the stored value of "${entry.name}" can no longer be decrypted; send a new value`);
    }
    return { name: entry.name, value: old.value };
  });
}

function keepAll(field: 'env' | 'headers', current: StoredServerConfig): { name: string; value: string }[] {
  return current[field].map((entry) => {
    if (entry.value === undefined) {
      throw new DomainError(
        ErrorCode.SECRET_UNREADABLE,
        `The stored ${field} value "${entry.name}" of server ${current.slug} can no longer be decrypted; send input.${field} with new values`,
        { field: `input.${field}` },
      );
    }
    return { name: entry.name, value: entry.value };
  });
}
