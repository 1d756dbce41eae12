import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, badInput, slugFromName, slugSchema, validate } from '#core';
import { Permission, authorizeAttempt, type Actor } from '#auth';
import { McpServer, ServerCredentialScope, ServersService } from '#servers';
import { CredentialResolver, CredentialsService, type Credential } from '#credentials';
import { GroupsService, type Group } from '#groups';
import { CatalogService } from '../catalog.service.js';
import { CatalogTransport, type CatalogVariableKind } from '../catalog-types.js';
import { plannedServer, plannedVariables, type PlannedVariable } from './install-plan.js';
import { ServerInstallationsService } from './server-installations.service.js';
import type { ServerInstallation } from './server-installation.entity.js';

const installSchema = z.strictObject({
  entryId: z.uuid('must be a UUID'),
  version: z.string().nullish(),
  credentialScope: z.enum(ServerCredentialScope, 'must be SHARED or PER_USER').nullish(),
  groupId: z.uuid('must be a UUID').nullish(),
  slug: slugSchema.nullish(),
  values: z
    .array(z.strictObject({ name: z.string().max(200, 'must be at most 200 characters'), value: z.string().max(16_384, 'must be at most 16384 characters') }))
    .max(100, 'must have at most 100 entries')
    .nullish(),
});
export type InstallCatalogEntryInput = z.input<typeof installSchema>;

export interface InstalledVariable {
  kind: CatalogVariableKind;
  /** The catalog variable's name. */
  name: string;
  credentialName: string;
  /** The installer typed a value: it is now their own credential of that name. */
  stored: boolean;
  /** The installed server refers to it (an optional variable nobody has a value for is left out). */
  used: boolean;
}

export interface InstallResult {
  server: McpServer;
  group: Group | null;
  installation: ServerInstallation | null;
  variables: InstalledVariable[];
}

/**
 * Installs a catalog entry as a server in one transaction: the server (its env and headers only `${NAME}` templates),
 * the values the installer typed as their own credentials, the group membership and, for a stdio entry, the
 * pre-fetch of its npm package (started after the commit). Checked as registerServer checks a server. The version is
 * the one asked for, else the latest: `entryId` names the entry, whichever of its versions' ids it is.
 */
@Injectable()
export class InstallCatalogEntry {
  constructor(
    private readonly catalog: CatalogService,
    private readonly servers: ServersService,
    private readonly credentials: CredentialsService,
    private readonly credentialResolver: CredentialResolver,
    private readonly groups: GroupsService,
    private readonly installations: ServerInstallationsService,
    private readonly bus: ConfigChangeBus,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async run(viewer: Actor, input: InstallCatalogEntryInput): Promise<InstallResult> {
    const data = validate(installSchema, input, 'input');
    const named = await this.catalog.get(data.entryId, 'input.entryId');
    const entry = await this.catalog.version(named.name, data.version ?? 'latest', 'input.version');
    if (entry.transport === CatalogTransport.STDIO) {
      authorizeAttempt(viewer, Permission.SERVER_RUN_COMMAND, `Only admins may install ${entry.title}: stdio servers run programs on the hub's machine`);
    }
    const scope = data.credentialScope ?? ServerCredentialScope.SHARED;
    const planned = plannedVariables(entry);
    const given = this.givenValues(planned, data.values ?? []);
    // What would fill them today, with the installer as the owner (team and hub credentials only where they may manage them).
    const available = new Set(
      (await this.credentialResolver.availability(planned.map((p) => `\${${p.credentialName}}`), { userId: viewer.id, serverOwnerId: viewer.id }))
        .filter((a) => a.source)
        .map((a) => a.name),
    );
    const has = (p: PlannedVariable) => given.has(p.credentialName) || available.has(p.credentialName);
    // SHARED runs with the installer's values for everybody, so they must all be there now. PER_USER runs with each
    // caller's own: the installer may leave them for later, like everyone else (agents get -32004 naming the gap).
    const missing = planned.filter((p) => p.variable.required && !has(p));
    if (scope === ServerCredentialScope.SHARED && missing.length) {
      const names = missing.map((p) => p.variable.name).join(', ');
      throw badInput('input.values', `${entry.title} needs ${names}: type ${missing.length > 1 ? 'them' : 'it'}, set ${missing.length > 1 ? 'them' : 'it'} in Settings → Credentials first, or install it PER_USER`);
    }
    const included = new Set(planned.filter((p) => p.variable.required || has(p)).map((p) => p.credentialName));
    const slug = data.slug ?? (await this.freeSlug(entry.title));
    const row = this.servers.prepare(viewer, plannedServer(entry, { slug, credentialScope: scope, included }));

    const { group, installation, saved } = await this.save(viewer, row, data.groupId ?? null, given, entry.npmPackage ? `${entry.npmPackage}@${entry.version}` : null);
    await this.bus.publish({ kind: 'server', id: row.id });
    if (group) await this.bus.publish({ kind: 'group', id: group.id });
    await this.credentials.announce(saved);
    if (installation) await this.installations.start(row.id);
    return {
      server: row,
      group,
      installation,
      variables: planned.map((p) => ({
        kind: p.variable.kind,
        name: p.variable.name,
        credentialName: p.credentialName,
        stored: given.has(p.credentialName),
        used: included.has(p.credentialName),
      })),
    };
  }

  private async save(viewer: Actor, row: McpServer, groupId: string | null, values: Map<string, string>, packageSpec: string | null) {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(McpServer).save(row);
        const saved: Credential[] = [];
        for (const [name, value] of values) saved.push(await this.credentials.setWithin(manager, viewer, { name, value }, 'input.values'));
        const group = groupId ? await this.groups.addNewServerWithin(manager, viewer, groupId, row, 'input.groupId') : null;
        const installation = packageSpec ? await this.installations.recordWithin(manager, row.id, packageSpec) : null;
        return { group, installation, saved };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505' || (error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new DomainError(ErrorCode.CONFLICT, `input.slug: a server with slug "${row.slug}" already exists`, { field: 'input.slug' });
      }
      throw error;
    }
  }

  /** Typed values by credential name; each must name one of the entry's variables (blank = not given). */
  private givenValues(planned: PlannedVariable[], values: { name: string; value: string }[]): Map<string, string> {
    const out = new Map<string, string>();
    values.forEach(({ name, value }, i) => {
      const p = planned.find((q) => q.variable.name === name);
      if (!p) throw badInput(`input.values.${i}.name`, `"${name}" is not a variable of this entry (it has ${planned.map((q) => q.variable.name).join(', ') || 'none'})`);
      if (out.has(p.credentialName)) throw badInput(`input.values.${i}.name`, `"${name}" is given twice`);
      if (value.trim()) out.set(p.credentialName, value);
    });
    return out;
  }

  /** The title's slug, or the first free -2, -3… of it. */
  private async freeSlug(title: string): Promise<string> {
    const base = slugFromName(title) || 'server';
    const candidates = Array.from({ length: 20 }, (_, i) => (i ? `${base.slice(0, 36).replace(/-+$/, '')}-${i + 1}` : base));
    const taken = await this.servers.takenSlugs(candidates);
    const free = candidates.find((c) => !taken.has(c));
    if (!free) throw new DomainError(ErrorCode.CONFLICT, `input.slug: the slugs ${base} to ${candidates.at(-1)} are all taken; give one`, { field: 'input.slug' });
    return free;
  }
}
