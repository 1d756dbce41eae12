import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DomainError, SealedColumnRegistry, SecretBox } from '#core';
import { SecretResealer } from './secret-resealer.js';

const hub = new SecretBox(randomBytes(32));
const archive = new SecretBox(randomBytes(32));

function resealer(...extra: Parameters<SealedColumnRegistry['register']>) {
  const registry = new SealedColumnRegistry();
  registry.register(
    { table: 'mcp_servers', column: 'env', key: ['id'], shape: 'entries', context: (row, name) => `server:${String(row.id)}:env:${name}` },
    { table: 'notification_channels', column: 'sealed_url', key: ['id'], shape: 'text', context: (row) => `channel:${String(row.id)}:url` },
    { table: 'sign_in_flows', column: 'secrets', key: ['state_hash'], shape: 'text', transient: true, context: () => 'flow' },
    ...extra,
  );
  return new SecretResealer(registry, hub);
}

describe(SecretResealer.name, () => {
  it('should move each registered secret to the other box under the same context', () => {
    const r = resealer();
    const row = { id: 's1', env: [{ name: 'TOKEN', value: hub.seal('t0k3n', 'server:s1:env:TOKEN') }] };
    const moved = r.reseal('mcp_servers', row, hub, archive) as typeof row;
    expect(archive.open(moved.env[0].value, 'server:s1:env:TOKEN')).toBe('t0k3n');
    expect(() => hub.open(moved.env[0].value, 'server:s1:env:TOKEN')).toThrow();
    const channel = r.reseal('notification_channels', { id: 'c1', sealed_url: hub.seal('https://hooks.example/x', 'channel:c1:url') }, hub, archive);
    expect(archive.open(String(channel.sealed_url), 'channel:c1:url')).toBe('https://hooks.example/x');
  });

  it('should stop a backup that meets a ciphertext in a column nobody registered', () => {
    const r = resealer();
    const row = { id: 'x', token: hub.seal('secret', 'somewhere') };
    expect(() => r.reseal('vault_entries', row, hub, archive)).toThrow(/vault_entries\.token holds sealed secrets that no module registered/);
    const entries = { id: 'x', headers: [{ name: 'A', value: hub.seal('secret', 'h') }] };
    expect(() => r.reseal('mcp_servers', entries, hub, archive)).toThrow(DomainError);
  });

  it('should stop a backup when a table of secrets is in neither list of backed-up-tables.ts', () => {
    expect(() => resealer().assertCoverage()).not.toThrow();
    const r = resealer({ table: 'vault_entries', column: 'sealed_value', key: ['id'], shape: 'text', context: () => 'c' });
    expect(() => r.assertCoverage()).toThrow(/Table "vault_entries" holds sealed secrets but is in neither list/);
  });
});
