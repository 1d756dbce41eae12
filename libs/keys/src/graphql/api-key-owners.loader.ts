import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { User, UsersService } from '#users';

/** One DataLoader per GraphQL request (keyed by its context object), so `apiKeys { nodes { owner } }` is one query. */
@Injectable()
export class ApiKeyOwnersLoader {
  private readonly perRequest = new WeakMap<object, DataLoader<string, User | null>>();

  constructor(private readonly users: UsersService) {}

  load(requestContext: object, userId: string): Promise<User | null> {
    let loader = this.perRequest.get(requestContext);
    if (!loader) {
      loader = new DataLoader<string, User | null>(
        async (ids) => {
          const byId = new Map((await this.users.findByIds(ids)).map((u) => [u.id, u]));
          return ids.map((id) => byId.get(id) ?? null);
        },
        // No cache: a later mutation in the same request must see fresh data.
        { cache: false },
      );
      this.perRequest.set(requestContext, loader);
    }
    return loader.load(userId);
  }
}
