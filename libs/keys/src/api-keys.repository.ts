import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { ApiKeyPosition } from './api-key-cursor.js';
import { ApiKey } from './api-key.entity.js';

/** PostgreSQL renders the creation time exactly (microseconds, UTC) for the cursor. */
const CREATED_AT_TEXT = `to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The keys listing (keyset pagination over (created_at, id), newest first) and the gateway's reads and writes. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  findByPublicId(publicId: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ publicId });
  }

  /** Records that the keys `ids` were used at `at` (one statement for a batch). */
  async markUsed(ids: string[], at: Date): Promise<void> {
    await this.keys.update({ id: In(ids) }, { lastUsedAt: at });
  }

  /** Up to `limit` keys after `after` (all owners' when `userId` is undefined), each with its position. */
  async page(userId: string | undefined, limit: number, after: ApiKeyPosition | null): Promise<{ key: ApiKey; position: ApiKeyPosition }[]> {
    const qb = this.keys.createQueryBuilder('k').addSelect(CREATED_AT_TEXT, 'k_position').where('true');
    if (userId) qb.andWhere('k.user_id = :userId', { userId });
    if (after) qb.andWhere('(k.created_at, k.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.createdAt, afterId: after.id });
    const { entities, raw } = await qb.orderBy('k.created_at', 'DESC').addOrderBy('k.id', 'DESC').limit(limit).getRawAndEntities<{ k_id: string; k_position: string }>();
    const positions = new Map(raw.map((r) => [r.k_id, r.k_position]));
    return entities.map((key) => ({ key, position: { createdAt: positions.get(key.id)!, id: key.id } }));
  }
}
