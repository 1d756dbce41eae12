import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Logger } from 'pino';
import type { ConfigChangeBus, HubConfig } from '#core';
import type { TeamsRepository, UsersService } from '#users';
import { generateApiKey } from './api-key-format.js';
import { ApiKeyVerifier } from './api-key-verifier.service.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

const FLUSH_MS = 1_000;

/** A verifier over one valid key, whose last-use writes go to `markUsed`; what it logs lands in `lines`. */
function verifierWith(markUsed: (ids: string[], at: Date) => Promise<void>) {
  const generated = generateApiKey();
  const row = { id: 'key-1', publicId: generated.publicId, userId: 'user-1', secretHash: generated.hash, groupIds: [], tags: [], perMinute: null, perDay: null, expiresAt: null, revokedAt: null };
  const keys = { findByPublicId: async () => row, markUsed } as unknown as ApiKeysRepository;
  const users = { findById: async () => ({ id: 'user-1', role: 'MEMBER', disabled: false }) } as unknown as UsersService;
  const teams = { rolesOf: async () => new Map() } as unknown as TeamsRepository;
  const bus = { subscribe: () => () => undefined } as unknown as ConfigChangeBus;
  const lines: string[] = [];
  const logger = {
    warn: (_context: unknown, message: string) => void lines.push(`warn: ${message}`),
    info: (...args: unknown[]) => void lines.push(`info: ${String(args.at(-1))}`),
  } as unknown as Logger;
  const config = { usage: { flushIntervalMs: FLUSH_MS }, gateway: { apiKeyCacheSeconds: 60 } } as HubConfig;
  return { verifier: new ApiKeyVerifier(keys, users, teams, bus, logger, config), key: generated.key, lines };
}

describe(ApiKeyVerifier.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should write the keys used every flush interval, and log a database outage once, not at every flush', async () => {
    jest.useFakeTimers();
    const written: string[][] = [];
    let failing = 3;
    const { verifier, key, lines } = verifierWith(async (ids) => {
      written.push(ids);
      if (failing-- > 0) throw new Error('connection refused');
    });
    verifier.onApplicationBootstrap();
    for (let flush = 0; flush < 4; flush++) {
      expect(await verifier.verify(key)).toMatchObject({ ok: true });
      await jest.advanceTimersByTimeAsync(FLUSH_MS);
    }
    await verifier.onApplicationShutdown();

    expect(written).toEqual([['key-1'], ['key-1'], ['key-1'], ['key-1']]);
    expect(lines).toEqual([
      "warn: Recording API keys' last use (the database) unavailable",
      "info: Recording API keys' last use (the database) available again",
    ]);
  });
});
