/**
 * Collects the keys asked for while GraphQL resolves one level of a response and fetches them in one call: a
 * minimal DataLoader. No cache: a later mutation in the same request must see fresh data.
 */
export class BatchLoader<K, V> {
  private queue: { key: K; resolve(value: V): void; reject(error: unknown): void }[] = [];

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: () => V,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      // setImmediate runs after every sibling resolver has been called (they only await microtasks before load()).
      if (this.queue.push({ key, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    this.fetch([...new Set(queue.map((q) => q.key))]).then(
      (values) => queue.forEach((q) => q.resolve(values.get(q.key) ?? this.missing())),
      (error: unknown) => queue.forEach((q) => q.reject(error)),
    );
  }
}
