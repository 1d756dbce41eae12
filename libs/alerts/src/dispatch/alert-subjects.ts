import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiKey, displayPrefix } from '#keys';

export interface KeySubject {
  id: string;
  name: string;
  prefix: string;
  ownerId: string;
}

/** Reads what an event names but does not carry (who owns a key, what it is called). Rare: once per event. */
@Injectable()
export class AlertSubjects {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  async key(id: string): Promise<KeySubject | null> {
    const key = await this.keys.findOne({ where: { id }, select: { id: true, name: true, publicId: true, userId: true } });
    return key ? { id: key.id, name: key.name, prefix: displayPrefix(key.publicId), ownerId: key.userId } : null;
  }
}
