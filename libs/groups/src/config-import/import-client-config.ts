import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, badInput, slugFromName, slugSchema, validate } from '#core';
import { Permission, authorizeAttempt, type Actor } from '#auth';
import { McpServer, ServerTransport, ServersService } from '#servers';
import { GroupServer } from '../group-server.entity.js';
import { Group, ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { isPgError } from '../groups.errors.js';
import { ToolNaming } from '../naming/tool-naming.js';
import { GroupRevisionsService } from '../revisions/group-revisions.service.js';
import { ClientConfigFormat } from './client-config-format.js';
import { parseClientConfig, type PendingValue } from './parse-client-config.js';

const importSchema = z.strictObject({
  format: z.enum(ClientConfigFormat, 'must be MCP_SERVERS or VSCODE'),
  json: z.string(),
  groupName: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  groupSlug: slugSchema.nullish(),
  dryRun: z.boolean().nullish(),
});
export type ImportClientConfigInput = z.input<typeof importSchema>;

export interface ImportedServer {
  /** The entry's key in the file. */
  key: string;
  server: McpServer;
}

export interface ImportClientConfigResult {
  dryRun: boolean;
  /** Null on a dry run. */
  group: Group | null;
  groupName: string;
  groupSlug: string;
  /** On a dry run, rows that were not saved (ids are not final). */
  servers: ImportedServer[];
  pending: (PendingValue & { serverSlug: string })[];
  warnings: string[];
}

/**
 * Turns a client's config file into servers plus one group holding them, in one transaction (audited as one entry,
 * with one group revision). Every entry is checked like registerServer checks it before anything is written.
 */
@Injectable()
export class ImportClientConfig {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly servers: ServersService,
    private readonly revisions: GroupRevisionsService,
    private readonly bus: ConfigChangeBus,
  ) {}

  async run(viewer: Actor, input: ImportClientConfigInput): Promise<ImportClientConfigResult> {
    const data = validate(importSchema, input, 'input');
    authorizeAttempt(viewer, Permission.GROUP_CREATE);
    const parsed = parseClientConfig(data.format, data.json);
    const stdio = parsed.servers.filter((s) => s.transport === ServerTransport.STDIO).map((s) => s.key);
    if (stdio.length) {
      authorizeAttempt(viewer, Permission.SERVER_RUN_COMMAND, `Only admins may import stdio servers (they run programs on the hub's machine): ${stdio.join(', ')}`);
    }
    const slugs = await this.serverSlugs(parsed.servers.map((s) => s.key));
    const rows = parsed.servers.map((s, i) =>
      this.servers.prepare(
        viewer,
        { name: s.key, slug: slugs[i], transport: s.transport, command: s.command, args: s.args, env: s.env, cwd: s.cwd, url: s.url, headers: s.headers, enabled: s.enabled },
        s.at,
      ),
    );
    const groupName = data.groupName ?? 'Imported servers';
    const groupSlug = await this.groupSlug(data.groupSlug ?? null, groupName);
    const servers = rows.map((server, i) => ({ key: parsed.servers[i].key, server }));
    const pending = parsed.pending.map((p) => ({ ...p, serverSlug: slugs[parsed.servers.findIndex((s) => s.key === p.serverKey)] }));
    if (data.dryRun) return { dryRun: true, group: null, groupName, groupSlug, servers, pending, warnings: parsed.warnings };

    const group = await this.save(viewer, rows, groupName, groupSlug);
    for (const row of rows) await this.bus.publish({ kind: 'server', id: row.id });
    await this.bus.publish({ kind: 'group', id: group.id });
    return { dryRun: false, group, groupName, groupSlug, servers, pending, warnings: parsed.warnings };
  }

  private async save(viewer: Actor, rows: McpServer[], name: string, slug: string): Promise<Group> {
    try {
      return await this.groups.manager.transaction(async (manager) => {
        await manager.getRepository(McpServer).save(rows);
        const group = await manager.getRepository(Group).save(
          manager.getRepository(Group).create({
            name,
            slug,
            description: `Imported from a client config (${rows.length} server${rows.length === 1 ? '' : 's'})`,
            ownerId: viewer.id,
            toolNaming: ToolNaming.PREFIX_WHEN_NEEDED,
            toolFilterMode: ToolFilterMode.NONE,
            toolFilter: [],
            toolPinning: ToolPinningMode.WARN,
          }),
        );
        await manager.getRepository(GroupServer).insert(rows.map((row, position) => ({ groupId: group.id, serverId: row.id, position })));
        await this.revisions.record(manager, group.id, 'importClientConfig', viewer.id);
        return group;
      });
    } catch (error) {
      // Someone took a slug between the check and the insert: nothing was written.
      if (isPgError(error, '23505')) throw new DomainError(ErrorCode.CONFLICT, 'input: a server or group slug was taken meanwhile; import again');
      throw error;
    }
  }

  /** Each entry's slug from its key; a slug taken (by a server, or an earlier entry) gets the first free -2, -3… suffix. */
  private async serverSlugs(keys: string[]): Promise<string[]> {
    const bases = keys.map((key) => {
      const base = slugFromName(key);
      if (!base) throw badInput(`json.${key}`, 'the server name has no letters or digits to make a slug from; rename the entry');
      return base;
    });
    const taken = await this.servers.takenSlugs(candidates(bases));
    return bases.map((base) => {
      const slug = firstFree(base, taken);
      taken.add(slug);
      return slug;
    });
  }

  /** A slug given is used as is (taken = CONFLICT); one derived from the name gets a suffix when taken. */
  private async groupSlug(given: string | null, name: string): Promise<string> {
    if (given) {
      if (await this.groups.existsBy({ slug: given })) {
        throw new DomainError(ErrorCode.CONFLICT, `input.groupSlug: a group with slug "${given}" already exists`, { field: 'input.groupSlug' });
      }
      return given;
    }
    const base = slugFromName(name);
    if (!base) throw badInput('input.groupSlug', 'cannot be derived from the group name (no letters or digits); give one');
    const rows = await this.groups.find({ where: { slug: In(candidates([base])) }, select: { slug: true } });
    return firstFree(base, new Set(rows.map((r) => r.slug)));
  }
}

const MAX_SUFFIX = 20;

function suffixed(base: string, n: number): string {
  if (n === 1) return base;
  const tail = `-${n}`;
  return `${base.slice(0, 40 - tail.length).replace(/-+$/, '')}${tail}`;
}

function candidates(bases: string[]): string[] {
  return bases.flatMap((base) => Array.from({ length: MAX_SUFFIX }, (_, i) => suffixed(base, i + 1)));
}

function firstFree(base: string, taken: Set<string>): string {
  for (let n = 1; n <= MAX_SUFFIX; n++) if (!taken.has(suffixed(base, n))) return suffixed(base, n);
  throw new DomainError(ErrorCode.CONFLICT, `json: the slugs ${base} to ${suffixed(base, MAX_SUFFIX)} are all taken; rename the entry`);
}
