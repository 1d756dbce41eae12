import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { Permission, authorize, readScope, type Actor } from '#auth';
import { ConfigChangeBus, DomainError, ErrorCode, badInput, forbidden, validate } from '#core';
import { GroupsService } from '#groups';
import { ActorLoader } from '#users';
import { decodeApiKeyCursor, encodeApiKeyCursor } from './api-key-cursor.js';
import { generateApiKey } from './api-key-format.js';
import { apiKeyTagsSchema } from './api-key-tags.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysRepository } from './api-keys.repository.js';

const limit = z.number().int('must be a whole number').min(1, 'must be at least 1 (or null for unlimited)').max(10_000_000).nullish();

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const groupIds = z.array(z.uuid('must be a list of group ids (UUIDs)')).max(100);
const expiresAt = z.date('must be a date-time').refine((d) => d.getTime() > Date.now(), 'must be in the future');

const createApiKeySchema = z.strictObject({
  name,
  groupIds: groupIds.nullish(),
  tags: apiKeyTagsSchema.nullish(),
  expiresAt: expiresAt.nullish(),
  perMinute: limit,
  perDay: limit,
});

/** Absent = unchanged; null clears (groups: all of the owner's; quotas: unlimited; expiry: never). */
const updateApiKeySchema = z.strictObject({
  name: name.nullish().refine((v) => v !== null, 'must not be null (leave it out to keep the name)'),
  groupIds: groupIds.nullish(),
  tags: apiKeyTagsSchema.nullish(),
  expiresAt: expiresAt.nullish(),
  perMinute: limit,
  perDay: limit,
});

const pageSchema = z.strictObject({
  first: z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(50),
  after: z.string().optional(),
  userId: z.uuid('must be a UUID').optional(),
});

export type CreateApiKey = z.input<typeof createApiKeySchema>;
export type UpdateApiKey = z.input<typeof updateApiKeySchema>;

export interface ApiKeyPage {
  nodes: ApiKey[];
  endCursor: string | null;
  hasNextPage: boolean;
}

@Injectable()
export class KeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly listing: ApiKeysRepository,
    private readonly bus: ConfigChangeBus,
    private readonly groups: GroupsService,
    private readonly actors: ActorLoader,
  ) {}

  /** Returns the key in clear exactly once; only its hash is stored. */
  async create(owner: Actor, input: CreateApiKey): Promise<{ secret: string; apiKey: ApiKey }> {
    const data = validate(createApiKeySchema, input, 'input');
    // A key may name only groups its owner may use: anything else would reach someone else's servers.
    await this.groups.assertAllUsable(owner, data.groupIds ?? [], 'input.groupIds');
    const generated = generateApiKey();
    const apiKey = await this.keys.save(
      this.keys.create({
        publicId: generated.publicId,
        secretHash: generated.hash,
        name: data.name,
        userId: owner.id,
        groupIds: [...new Set(data.groupIds ?? [])],
        tags: data.tags ?? [],
        expiresAt: data.expiresAt ?? null,
        perMinute: data.perMinute ?? null,
        perDay: data.perDay ?? null,
      }),
    );
    return { secret: generated.key, apiKey };
  }

  /** Newest first, a page at a time. Members see their own keys; admins and auditors everyone's, or one user's with `userId`. */
  async page(viewer: Actor, input: { first?: number | null; after?: string | null; userId?: string | null }): Promise<ApiKeyPage> {
    const { first, after, userId } = validate(pageSchema, { first: input.first ?? undefined, after: input.after ?? undefined, userId: input.userId ?? undefined });
    const scope = readScope(viewer);
    if (!scope.all && userId && userId !== viewer.id) throw forbidden('Members can list only their own keys');
    const rows = await this.listing.page(scope.all ? userId : viewer.id, first + 1, after ? decodeApiKeyCursor(after) : null);
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return { nodes: page.map((r) => r.key), endCursor: last ? encodeApiKeyCursor(last.position) : null, hasNextPage: rows.length > first };
  }

  /** Someone else's key is "not found" to a member: no probing for ids. */
  async get(viewer: Actor, id: string, field = 'id', permission = Permission.KEY_READ): Promise<ApiKey> {
    if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
    const key = await this.keys.findOneBy({ id });
    authorize(viewer, permission, key && { ownerId: key.userId }, { kind: 'API key', id });
    return key!;
  }

  /** Changes what the key may do; gateways drop their cached copy at once. A revoked key stays as it was revoked. */
  async update(viewer: Actor, id: string, input: UpdateApiKey): Promise<ApiKey> {
    const key = await this.get(viewer, id, 'id', Permission.KEY_UPDATE);
    const data = validate(updateApiKeySchema, input, 'input');
    if (key.revokedAt) throw new DomainError(ErrorCode.CONFLICT, `API key ${key.name} is revoked; create a new key instead`, { field: 'id' });
    if (data.groupIds !== undefined) {
      // The groups its owner may use, not the editor's: an admin must not widen someone's key past their own access.
      const owner = key.userId === viewer.id ? viewer : await this.actors.load(key.userId, 'API_KEY');
      if (!owner) throw new DomainError(ErrorCode.CONFLICT, "The key's owner is disabled: enable the account before changing its key's groups", { field: 'input.groupIds' });
      await this.groups.assertAllUsable(owner, data.groupIds ?? [], 'input.groupIds');
      key.groupIds = [...new Set(data.groupIds ?? [])];
    }
    if (data.name) key.name = data.name;
    if (data.tags !== undefined) key.tags = data.tags ?? [];
    if (data.expiresAt !== undefined) key.expiresAt = data.expiresAt;
    if (data.perMinute !== undefined) key.perMinute = data.perMinute;
    if (data.perDay !== undefined) key.perDay = data.perDay;
    // save() runs in a transaction, where the audit entry commits with the change.
    await this.keys.save(key);
    await this.bus.publish({ kind: 'api-key', id: key.id });
    return key;
  }

  async revoke(viewer: Actor, id: string): Promise<ApiKey> {
    const key = await this.get(viewer, id, 'id', Permission.KEY_REVOKE);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      // save() (not update()): it runs in a transaction, where the audit entry commits with the change.
      await this.keys.save(key);
      // Gateways cache keys in memory: tell every replica to drop it now.
      await this.bus.publish({ kind: 'api-key', id });
    }
    return key;
  }
}
