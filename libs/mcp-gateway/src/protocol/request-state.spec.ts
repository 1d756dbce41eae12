import { randomBytes } from 'node:crypto';
import type { HubConfig } from '#core';
import { RequestStateSeal, type HubRequestState } from './request-state.js';

const sealWith = (key: Buffer) => new RequestStateSeal({ encryption: { key, previousKeys: [] } } as unknown as HubConfig);
const state: HubRequestState = { keyId: 'k1', groupSlug: 'g', serverId: 's1', target: 'tools/call echo', upstream: 'their-state', exp: Date.now() + 60_000 };

describe('RequestStateSeal', () => {
  const key = randomBytes(32);
  const seal = sealWith(key);

  it('should open what it sealed, on any hub with the same master key', () => {
    expect(sealWith(key).open(seal.seal(state))).toEqual(state);
  });

  it('should refuse a state altered anywhere, sealed under another key, expired, or not a state at all', () => {
    const token = seal.seal(state);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...state, keyId: 'k2' })).toString('base64url');
    expect(seal.open(`${forged}.${mac}`)).toBeUndefined();
    expect(seal.open(`${body}.${mac.slice(0, -2)}AA`)).toBeUndefined();
    expect(seal.open(`${token}-TAMPERED`)).toBeUndefined();
    expect(sealWith(randomBytes(32)).open(token)).toBeUndefined();
    expect(seal.open(token, state.exp + 1)).toBeUndefined();
    for (const junk of [undefined, 42, '', '.', 'abc', `${body}.`]) expect(seal.open(junk)).toBeUndefined();
  });
});
