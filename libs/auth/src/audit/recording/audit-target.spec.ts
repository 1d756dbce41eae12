import { describe, expect, it } from '@jest/globals';
import type { AuditChange } from '../audit-entry.entity.js';
import { auditTarget } from './audit-target.js';

const change = (entity: string, id: string, op: AuditChange['op'] = 'INSERT'): AuditChange => ({ entity, id, op, fields: [] });

describe(auditTarget.name, () => {
  it('should name the thing of the id argument, typed by the row it changed', () => {
    expect(auditTarget('updateServer', { id: 's1', input: {} }, [change('Server', 's1', 'UPDATE')])).toEqual({ type: 'Server', id: 's1' });
  });

  it('should prefer the noun of the operation when rows of two entities share the id (a server and its primary endpoint)', () => {
    const both = [change('ServerEndpoint', 's1', 'UPDATE'), change('Server', 's1', 'UPDATE')];
    expect(auditTarget('updateServer', { id: 's1', input: {} }, both)).toEqual({ type: 'Server', id: 's1' });
    expect(auditTarget('updateServer', { id: 's1', input: {} }, [change('ServerEndpoint', 's1', 'UPDATE')])).toEqual({ type: 'ServerEndpoint', id: 's1' });
  });

  it('should fall back to the noun of the operation when nothing changed (a refusal)', () => {
    expect(auditTarget('removeServerReplica', { id: 'r1' }, [])).toEqual({ type: 'ServerReplica', id: 'r1' });
    expect(auditTarget('createUser', { input: {} }, [])).toEqual({ type: 'User', id: null });
    expect(auditTarget('login', { email: 'a@b.c', password: 'secret' }, [])).toEqual({ type: null, id: null });
  });

  it('should use the first …Id argument, else the first created row', () => {
    expect(auditTarget('addServerToGroup', { groupId: 'g1', serverId: 's1' }, [change('GroupServer', 'groupId=g1,serverId=s1')])).toEqual({ type: 'Group', id: 'g1' });
    expect(auditTarget('createApiKey', { input: { groupIds: ['g1'] } }, [change('ApiKey', 'k1')])).toEqual({ type: 'ApiKey', id: 'k1' });
  });
});
