import { describe, expect, it } from '@jest/globals';
import { RequestLoader } from './request-loader.js';

describe(RequestLoader.name, () => {
  it('should fetch the keys that sibling resolvers ask for in one call, each key once', async () => {
    const calls: string[][] = [];
    const loader = new RequestLoader<string, number>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    }, () => -1);
    const request = {};
    const results = await Promise.all(
      ['a', 'bb', 'a', 'missing'].map(async (k, i) => {
        // Resolvers await a few steps before they load (Nest's pipeline): still one batch.
        for (let step = 0; step <= i; step++) await Promise.resolve();
        return loader.load(request, k);
      }),
    );
    expect(results).toEqual([1, 2, 1, -1]);
    expect(calls).toEqual([['a', 'bb', 'missing']]);
  });

  it('should keep requests apart, not cache between batches and reject every waiter of a failed batch', async () => {
    let n = 0;
    const calls: string[][] = [];
    const loader = new RequestLoader<string, number>(async (keys) => {
      calls.push(keys);
      return new Map(keys.map((k) => [k, ++n]));
    }, () => 0);
    const request = {};
    expect(await loader.load(request, 'k')).toBe(1);
    expect(await loader.load(request, 'k')).toBe(2);
    await Promise.all([loader.load({}, 'x'), loader.load({}, 'y')]);
    expect(calls.slice(2)).toEqual([['x'], ['y']]);
    const failing = new RequestLoader<string, number>(async () => {
      throw new Error('db down');
    }, () => 0);
    const failed = await Promise.allSettled([failing.load(request, 'a'), failing.load(request, 'b')]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['db down', 'db down']);
  });
});
