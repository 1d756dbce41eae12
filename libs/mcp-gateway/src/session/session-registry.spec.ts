import { describe, expect, it } from '@jest/globals';
import type { HubConfig } from '#core';
import type { KeyPrincipal } from '#keys';
import { RemoteStreamChannel } from './remote-stream-channel.js';
import type { SessionBus } from './session-bus.js';
import { SessionRegistry } from './session-registry.js';
import type { SessionStore, StoredSession } from './session-store.js';

/** A registry on a store stand-in that counts its reads; `stored` is what the store holds for every session. */
function registry(stored: Partial<StoredSession> | undefined) {
  const store = { enabled: true, reads: 0, load: async () => (store.reads++, stored as StoredSession | undefined) };
  const bus = { hubId: 'here', toHub: async () => true } as unknown as SessionBus;
  const config = { gateway: { maxSessionsPerKey: 10 } } as HubConfig;
  const sessions = new SessionRegistry(config, store as unknown as SessionStore, bus);
  const session = sessions.create({ keyId: 'k', userId: 'u' } as KeyPrincipal, 'main', 'streamable-http', '2025-06-18');
  return { sessions, session, store };
}

describe(`${SessionRegistry.name}.findStream`, () => {
  it('should find a stream another hub holds in the store, and send there from then on without reading it again', async () => {
    const { sessions, session, store } = registry({ streamHub: 'there' });
    const stream = await sessions.findStream(session, 1_000);
    expect(stream).toBeInstanceOf(RemoteStreamChannel);
    expect(session.standalone).toBe(stream);
    expect(await sessions.findStream(session, 1_001)).toBe(stream);
    expect(store.reads).toBe(1);
  });

  it('should read the store for a session without a stream at most once every 5 s', async () => {
    const { sessions, session, store } = registry({});
    expect(await sessions.findStream(session, 10_000)).toBeUndefined();
    expect(await sessions.findStream(session, 14_999)).toBeUndefined();
    expect(store.reads).toBe(1);
    expect(await sessions.findStream(session, 15_000)).toBeUndefined();
    expect(store.reads).toBe(2);
  });
});
