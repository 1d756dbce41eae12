import { describe, expect, it } from '@jest/globals';
import { variableState } from './variable-sources';

const perUser = { credentialScope: 'PER_USER' as const, ownerId: 'owner' };
const shared = { credentialScope: 'SHARED' as const, ownerId: 'owner' };

describe(variableState.name, () => {
  it("should speak of the viewer's own credentials on a PER_USER server, whoever owns it", () => {
    expect(variableState('USER', perUser, 'someone')).toEqual({ kind: 'filled', label: 'yours' });
    expect(variableState('TEAM', perUser, 'someone')).toEqual({ kind: 'filled', label: "a team's" });
    expect(variableState('HUB', perUser, 'someone')).toEqual({ kind: 'filled', label: "the hub's" });
    expect(variableState(null, perUser, 'someone')).toEqual({ kind: 'missing', who: 'you' });
  });

  it("should speak of the owner's credentials on a SHARED server when the viewer is not its owner", () => {
    expect(variableState('USER', shared, 'someone')).toEqual({ kind: 'filled', label: "the owner's" });
    expect(variableState('TEAM', shared, 'someone')).toEqual({ kind: 'filled', label: "a team's of the owner" });
    expect(variableState(null, shared, 'someone')).toEqual({ kind: 'missing', who: 'owner' });
  });

  it('should send the owner of a SHARED server to set a missing variable themselves', () => {
    expect(variableState('USER', shared, 'owner')).toEqual({ kind: 'filled', label: 'yours' });
    expect(variableState(null, shared, 'owner')).toEqual({ kind: 'missing', who: 'you' });
  });
});
