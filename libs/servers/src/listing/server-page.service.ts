import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, type Repository } from 'typeorm';
import { z } from 'zod';
import { validate } from '#core';
import type { Actor } from '#auth';
import { McpServer } from '../mcp-server.entity.js';
import { ServerEndpoint } from '../endpoints/server-endpoint.entity.js';
import { visibleServersWhere } from '../server-visibility.js';
import { decodeServerCursor, encodeServerCursor } from './server-cursor.js';

const pageArgsSchema = z.strictObject({
  first: z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(50),
  after: z.string().nullish(),
  search: z.string().trim().max(200, 'must be at most 200 characters').nullish(),
});

export type ServerPageArgs = z.input<typeof pageArgsSchema>;

export interface ServerPage {
  nodes: McpServer[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The servers a person may see, oldest first, a page at a time (keyset on registration time and id). */
@Injectable()
export class ServerPageService {
  constructor(@InjectRepository(McpServer) private readonly servers: Repository<McpServer>) {}

  async page(viewer: Actor, args: ServerPageArgs): Promise<ServerPage> {
    const { first, after, search } = validate(pageArgsSchema, args);
    const position = after ? decodeServerCursor(after) : null;
    // Postgres keeps microseconds, a cursor milliseconds: order and compare at the cursor's precision.
    const at = `date_trunc('milliseconds', s.created_at)`;
    const qb = this.servers.createQueryBuilder('s').where(
      new Brackets((visible) => {
        for (const branch of visibleServersWhere(viewer)) visible.orWhere(new Brackets((b) => b.where(branch)));
      }),
    );
    if (search) {
      qb.andWhere(`(s.name ILIKE :pattern OR s.slug ILIKE :pattern OR EXISTS (SELECT 1 FROM unnest(s.tags) AS tag WHERE tag ILIKE :pattern))`, {
        pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (position) qb.andWhere(`(${at}, s.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))`, { afterAt: position.at, afterId: position.id });
    const rows = await qb.orderBy(at, 'ASC').addOrderBy('s.id', 'ASC').limit(first + 1).getMany();
    const nodes = rows.slice(0, first);
    // A query builder skips eager relations, and a join would break the row limit: the page's endpoints in one query.
    const endpoints = nodes.length ? await this.servers.manager.getRepository(ServerEndpoint).findBy({ serverId: In(nodes.map((n) => n.id)) }) : [];
    for (const node of nodes) node.endpoints = endpoints.filter((e) => e.serverId === node.id);
    const last = nodes.at(-1);
    return { nodes, endCursor: last ? encodeServerCursor({ at: last.createdAt, id: last.id }) : null, hasNextPage: rows.length > first };
  }
}
