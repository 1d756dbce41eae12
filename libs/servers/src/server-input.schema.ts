import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { ServerCredentialScope, ServerTransport } from './mcp-server.entity.js';
import { slugSchema } from '#core';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 7230 `token`. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const MAX_SECRET_ENTRIES = 50;
export const MAX_SECRET_VALUE_BYTES = 8 * 1024;
/** Set by the hub's MCP client or by HTTP itself; a user value would break the connection. */
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'keep-alive',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'te',
  'transfer-encoding',
  'upgrade',
]);

const TRANSPORT_LABEL: Record<ServerTransport, string> = {
  [ServerTransport.STDIO]: 'STDIO',
  [ServerTransport.SSE]: 'SSE',
  [ServerTransport.STREAMABLE_HTTP]: 'STREAMABLE_HTTP',
};

const secretValue = z
  .string()
  .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_SECRET_VALUE_BYTES, 'must be at most 8 KiB');

const envName = z.string().regex(ENV_NAME, 'must be letters, digits and "_", not starting with a digit');
const headerName = z
  .string()
  .regex(HEADER_NAME, 'must be an HTTP header name (letters, digits and !#$%&\'*+.^_`|~-)')
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), 'is managed by the hub\'s MCP client and cannot be set');

function entryList<V extends z.ZodType>(name: z.ZodType<string>, value: V, caseInsensitive: boolean) {
  return z
    .array(z.strictObject({ name, value }))
    .max(MAX_SECRET_ENTRIES, `must have at most ${MAX_SECRET_ENTRIES} entries`)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, i) => {
        const key = caseInsensitive ? entry.name.toLowerCase() : entry.name;
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name "${entry.name}"` });
        seen.add(key);
      });
    });
}

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const descriptionSchema = z.string().trim().max(2000, 'must be at most 2000 characters');
const tagsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
  .max(20, 'must have at most 20 tags')
  .transform((tags) => [...new Set(tags)]);
const argsSchema = z.array(z.string().max(4096, 'must be at most 4096 characters')).max(100, 'must have at most 100 arguments');

/** Present = given with content (null, undefined and [] count as absent). */
const present = (v: unknown) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);

/**
 * One server's configuration in clear, checked as a whole: the transport decides which fields are required and
 * which are forbidden. Used for registration and for the merged result of an update.
 */
export const serverConfigSchema = z
  .strictObject({
    name: nameSchema,
    slug: slugSchema.nullish(),
    transport: z.enum(ServerTransport, 'must be STDIO, SSE or STREAMABLE_HTTP'),
    command: z.string().max(1024, 'must be at most 1024 characters').nullish(),
    args: argsSchema.nullish(),
    env: entryList(envName, secretValue, false).nullish(),
    cwd: z.string().max(1024, 'must be at most 1024 characters').nullish(),
    url: z.string().max(2048, 'must be at most 2048 characters').nullish(),
    headers: entryList(headerName, secretValue, true).nullish(),
    description: descriptionSchema.nullish(),
    tags: tagsSchema.nullish(),
    enabled: z.boolean().nullish(),
    credentialScope: z.enum(ServerCredentialScope, 'must be SHARED or PER_USER').nullish(),
  })
  .superRefine((data, ctx) => {
    const label = TRANSPORT_LABEL[data.transport];
    const forbid = (field: keyof typeof data, why: string) => {
      if (present(data[field])) ctx.addIssue({ code: 'custom', path: [field], message: `is not allowed for ${label} servers (${why})` });
    };
    if (data.transport === ServerTransport.STDIO) {
      if (!data.command?.trim()) ctx.addIssue({ code: 'custom', path: ['command'], message: 'is required for STDIO servers' });
      if (present(data.cwd) && !isAbsolute(data.cwd!)) ctx.addIssue({ code: 'custom', path: ['cwd'], message: 'must be an absolute path' });
      forbid('url', 'they are started from command');
      forbid('headers', 'they are started from command');
      return;
    }
    forbid('command', 'only STDIO servers run a command');
    forbid('args', 'only STDIO servers run a command');
    forbid('env', 'only STDIO servers run a command; use headers');
    forbid('cwd', 'only STDIO servers run a command');
    if (!data.url?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for ${label} servers` });
      return;
    }
    let url: URL;
    try {
      url = new URL(data.url);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http:// or https:// URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http:// or https:// URL' });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must not contain credentials; put them in headers, which are stored encrypted' });
    }
  })
  .transform((data) => {
    const stdio = data.transport === ServerTransport.STDIO;
    return {
      name: data.name,
      slug: data.slug ?? null,
      transport: data.transport,
      command: stdio ? data.command!.trim() : null,
      args: stdio ? (data.args ?? []) : [],
      env: stdio ? (data.env ?? []) : [],
      cwd: stdio ? (data.cwd ?? null) : null,
      url: stdio ? null : data.url!.trim(),
      headers: stdio ? [] : (data.headers ?? []),
      description: data.description || null,
      tags: data.tags ?? [],
      enabled: data.enabled ?? true,
      credentialScope: data.credentialScope ?? ServerCredentialScope.SHARED,
    };
  });

export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema>;
export interface PlainEntry {
  name: string;
  value: string;
}

/**
 * The shape of an update before it is merged with the stored server. `value: null` on an env/header entry keeps the
 * stored secret of that name, so a dashboard can edit the list without knowing the secrets.
 */
export const serverUpdateSchema = z.strictObject({
  name: nameSchema.nullish(),
  slug: slugSchema.nullish(),
  transport: z.enum(ServerTransport, 'must be STDIO, SSE or STREAMABLE_HTTP').nullish(),
  command: z.string().nullish(),
  args: z.array(z.string()).nullish(),
  env: z.array(z.strictObject({ name: z.string(), value: z.string().nullish() })).nullish(),
  cwd: z.string().nullish(),
  url: z.string().nullish(),
  headers: z.array(z.strictObject({ name: z.string(), value: z.string().nullish() })).nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  enabled: z.boolean().nullish(),
  credentialScope: z.enum(ServerCredentialScope, 'must be SHARED or PER_USER').nullish(),
});

export type ServerUpdateInput = z.input<typeof serverUpdateSchema>;
