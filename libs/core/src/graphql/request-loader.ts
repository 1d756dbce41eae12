import DataLoader from 'dataloader';

/** Fetches many keys in one query; keys absent from the map get the loader's `missing()` value. */
export type BatchFetch<K, V> = (keys: K[]) => Promise<Map<K, V>>;

/**
 * A DataLoader per GraphQL request (keyed by the request's context object, so it goes away with the request) for
 * one nested field: the keys that sibling resolvers ask for become one `fetch` call. Not cached: a mutation later in
 * the same request must see fresh rows.
 */
export class RequestLoader<K, V> {
  private readonly perRequest = new WeakMap<object, DataLoader<K, V>>();

  constructor(
    private readonly fetch: BatchFetch<K, V>,
    private readonly missing: () => V,
  ) {}

  load(requestContext: object, key: K): Promise<V> {
    let loader = this.perRequest.get(requestContext);
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => this.batch(keys), { cache: false });
      this.perRequest.set(requestContext, loader);
    }
    return loader.load(key);
  }

  private async batch(keys: readonly K[]): Promise<V[]> {
    const values = await this.fetch([...new Set(keys)]);
    return keys.map((key) => (values.has(key) ? values.get(key)! : this.missing()));
  }
}
