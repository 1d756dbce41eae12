import { z } from 'zod';

/**
 * The parts of the MCP Registry's `server.json` (schema 2025-09-29 and later) the catalog understands. Unknown
 * fields are ignored, as the registry's own readers do; what we read is checked so a bad file names its field.
 */
const input = z.object({
  name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(1000).optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  placeholder: z.string().max(500).optional(),
  value: z.string().max(2000).optional(),
  default: z.string().max(2000).optional(),
});

const argument = z.object({
  type: z.enum(['positional', 'named'], 'must be "positional" or "named"'),
  name: z.string().max(200).optional(),
  value: z.string().max(2000).optional(),
  valueHint: z.string().max(200).optional(),
});

/**
 * One exact version, as the registry requires: not `latest` (the Registry API's name for whichever is latest) and not
 * a range (`^1.2.3`, `~1.2`, `>=1.0.0`, `1.x`, `1.*`), which would install something else tomorrow.
 */
const exactVersion = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\s/]+$/, 'must be a version without spaces or slashes, e.g. 1.2.0')
  .refine((v) => v.toLowerCase() !== 'latest', 'must be an exact version, not "latest"')
  .refine((v) => !/[\^~<>=*|]|(^|\.)[xX](\.|$)/.test(v), 'must be an exact version, not a range (e.g. 1.2.0, not ^1.2.0 or 1.x)');

const pkg = z.object({
  registryType: z.string().min(1, 'must not be empty'),
  registryBaseUrl: z.string().optional(),
  identifier: z.string().min(1, 'must not be empty').max(214, 'must be at most 214 characters'),
  version: exactVersion.optional(),
  transport: z.object({ type: z.string().min(1, 'must not be empty'), url: z.string().optional() }),
  packageArguments: z.array(argument).max(50).optional(),
  environmentVariables: z.array(input).max(100).optional(),
});

const remote = z.object({
  type: z.enum(['streamable-http', 'sse'], 'must be "streamable-http" or "sse"'),
  url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'),
  headers: z.array(input).max(100).optional(),
});

/** `namespace/name` with a reverse-DNS namespace, as the registry requires. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

export const serverJsonSchema = z.object({
  name: z.string().max(200, 'must be at most 200 characters').regex(SERVER_NAME_PATTERN, 'must be reverse-DNS namespace/name, e.g. io.github.acme/weather'),
  title: z.string().max(200).optional(),
  description: z.string().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  version: exactVersion,
  websiteUrl: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
  repository: z.object({ url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'), source: z.string().optional() }).optional(),
  packages: z.array(pkg).max(20).optional(),
  remotes: z.array(remote).max(20).optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
});

export type ServerJson = z.infer<typeof serverJsonSchema>;

/** Where a publisher's own extras go in `_meta`; the catalog keeps its tags there. */
export const PUBLISHER_META = 'io.modelcontextprotocol.registry/publisher-provided';
