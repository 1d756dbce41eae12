import { describe, expect, it } from '@jest/globals';
import { BatchLoader } from './batch-loader.js';

describe(BatchLoader.name, () => {
  it('should fetch all keys requested in one tick with one call', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, number>(
      async (keys) => {
        calls.push(keys);
        return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
      },
      () => -1,
    );
    const results = await Promise.all(['a', 'bb', 'a', 'missing'].map(async (k) => {
      await Promise.resolve(); // resolvers may await before loading
      return loader.load(k);
    }));
    expect(results).toEqual([1, 2, 1, -1]);
    expect(calls).toEqual([['a', 'bb', 'missing']]);
  });

  it('should not cache between batches and should reject every waiter on failure', async () => {
    let n = 0;
    const loader = new BatchLoader<string, number>(async (keys) => new Map(keys.map((k) => [k, ++n])), () => 0);
    expect(await loader.load('k')).toBe(1);
    expect(await loader.load('k')).toBe(2);
    const failing = new BatchLoader<string, number>(async () => {
      throw new Error('db down');
    }, () => 0);
    await expect(Promise.all([failing.load('a'), failing.load('b')])).rejects.toThrow('db down');
  });
});
