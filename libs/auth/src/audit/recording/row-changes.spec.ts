import { describe, expect, it } from '@jest/globals';
import { Audited } from './audited.decorator.js';
import { MAX_VALUE_CHARS, SECRET_CHANGED, auditValue, insertChange, removeChange, updateChange, type RecordedColumn, type RecordedEntity } from './row-changes.js';

const column = (propertyName: string, extra: Partial<RecordedColumn> = {}): RecordedColumn => ({
  propertyName,
  databaseName: propertyName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  isPrimary: false,
  isCreateDate: false,
  isUpdateDate: false,
  isVersion: false,
  getEntityValue: (row: object) => (row as Record<string, unknown>)[propertyName],
  ...extra,
});

@Audited({ name: 'Server', secrets: ['env'] })
class Server {}
class Channel {}

const id = column('id', { isPrimary: true });
const server: RecordedEntity = {
  name: 'McpServer',
  target: Server,
  columns: [id, column('name'), column('env'), column('url'), column('updatedAt', { isUpdateDate: true })],
  primaryColumns: [id],
};
// Not declared: its secrets are recognised by their names alone.
const channel: RecordedEntity = {
  name: 'Channel',
  target: Channel,
  columns: [id, column('sealedUrl'), column('signingSecret'), column('refreshTokenHash'), column('password'), column('label')],
  primaryColumns: [id],
};

describe('audit row changes', () => {
  it('should record a new row under its audit name, with its id, values and secrets only as changed', () => {
    const change = insertChange(server, { id: 's1', name: 'fs', env: [{ name: 'TOKEN', value: 'sealed-abc' }], url: null, updatedAt: new Date() });
    expect(change).toEqual({
      entity: 'Server',
      id: 's1',
      op: 'INSERT',
      fields: [
        { name: 'name', new: 'fs' },
        { name: 'env', secret: true, new: SECRET_CHANGED, entries: ['TOKEN'] },
      ],
    });
  });

  it('should treat columns whose names say secret, token, hash, password or sealed as secret without a declaration', () => {
    const change = insertChange(channel, { id: 'c1', sealedUrl: 'v1.abc', signingSecret: 's3cr3t', refreshTokenHash: 'h', password: 'p', label: 'ops' });
    expect(change.fields.filter((f) => !f.secret).map((f) => f.name)).toEqual(['label']);
    expect(JSON.stringify(change)).not.toMatch(/v1\.abc|s3cr3t|"h"|"p"/);
  });

  it('should record old and new values of changed fields and name only the secret entries that changed', () => {
    const before = { id: 's1', name: 'fs', env: [{ name: 'A', value: 'x1' }, { name: 'B', value: 'y1' }] };
    const after = { id: 's1', name: 'files', env: [{ name: 'A', value: 'x1' }, { name: 'B', value: 'y2' }, { name: 'C', value: 'z' }] };
    const change = updateChange(server, after, before, [server.columns[1], server.columns[2], server.columns[4]]);
    expect(change).toEqual({
      entity: 'Server',
      id: 's1',
      op: 'UPDATE',
      fields: [
        { name: 'name', old: 'fs', new: 'files' },
        { name: 'env', secret: true, new: SECRET_CHANGED, entries: ['B', 'C'] },
      ],
    });
  });

  it('should record what a removed row held, leaving its secrets out', () => {
    expect(removeChange(server, { id: 's1', name: 'fs', env: [{ name: 'A', value: 'x' }], url: 'http://h' }, 's1')).toEqual({
      entity: 'Server',
      id: 's1',
      op: 'DELETE',
      fields: [
        { name: 'name', old: 'fs' },
        { name: 'url', old: 'http://h' },
      ],
    });
  });

  it('should keep values small and JSON-safe', () => {
    expect(auditValue(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678Z');
    expect(auditValue(Buffer.from('raw'))).toBe('[binary]');
    expect(auditValue(() => 'now()')).toBeUndefined();
    expect(auditValue('x'.repeat(MAX_VALUE_CHARS + 5))).toBe(`${'x'.repeat(MAX_VALUE_CHARS)}… (${MAX_VALUE_CHARS + 5} characters)`);
    expect(auditValue({ big: 'y'.repeat(MAX_VALUE_CHARS) })).toMatch(/^\[JSON of \d+ characters\]$/);
    expect(auditValue({ type: 'DENY' })).toEqual({ type: 'DENY' });
  });
});
