import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { Permission, authorize, readScope, type Actor } from '#auth';
import { ConfigChangeBus, badInput, forbidden, validate } from '#core';
import { GroupsService } from '#groups';
import { pageSchema } from '#users';
import { generateApiKey } from './api-key-format.js';
import { apiKeyTagsSchema } from './api-key-tags.js';
import { ApiKey } from './api-key.entity.js';

const limit = z.number().int('must be a whole number').min(1, 'must be at least 1 (or null for unlimited)').max(10_000_000).nullish();

const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  groupIds: z.array(z.uuid('must be a list of group ids (UUIDs)')).max(100).nullish(),
  tags: apiKeyTagsSchema.nullish(),
  expiresAt: z
    .date('must be a date-time')
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .nullish(),
  perMinute: limit,
  perDay: limit,
});

export type CreateApiKey = z.input<typeof createApiKeySchema>;

@Injectable()
export class KeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly bus: ConfigChangeBus,
    private readonly groups: GroupsService,
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

  /** Members see their own keys; admins and auditors everyone's, or one user's with `userId`. */
  list(viewer: Actor, page: { first?: number; offset?: number; userId?: string }): Promise<ApiKey[]> {
    const { first, offset } = validate(pageSchema, { first: page.first, offset: page.offset });
    if (page.userId !== undefined && !z.uuid().safeParse(page.userId).success) throw badInput('userId', 'must be a UUID');
    const scope = readScope(viewer);
    if (!scope.all && page.userId && page.userId !== viewer.id) throw forbidden('Members can list only their own keys');
    const userId = scope.all ? page.userId : viewer.id;
    return this.keys.find({ where: userId ? { userId } : {}, order: { createdAt: 'DESC' }, take: first, skip: offset });
  }

  /** Someone else's key is "not found" to a member: no probing for ids. */
  async get(viewer: Actor, id: string, field = 'id', permission = Permission.KEY_READ): Promise<ApiKey> {
    if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
    const key = await this.keys.findOneBy({ id });
    authorize(viewer, permission, key && { ownerId: key.userId }, { kind: 'API key', id });
    return key!;
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
