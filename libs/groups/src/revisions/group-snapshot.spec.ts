import { describe, expect, it } from '@jest/globals';
import { Group, ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ToolNaming } from '../naming/tool-naming.js';
import { groupSnapshot, membershipDiff, snapshotNaming, snapshotView } from './group-snapshot.js';

const group = Object.assign(new Group(), {
  id: 'g1',
  name: 'Team',
  slug: 'team',
  description: null,
  ownerId: 'u1',
  toolNaming: ToolNaming.NONE,
  toolFilterMode: ToolFilterMode.ALLOW,
  toolFilter: ['everything__echo'],
  toolPinning: ToolPinningMode.ENFORCE,
});

describe(groupSnapshot.name, () => {
  it('should keep only configuration, in member order, with copies of the arrays', () => {
    const serverIds = ['s2', 's1'];
    const snapshot = groupSnapshot(group, serverIds, { rules: [1] });
    expect(snapshot).toEqual({
      name: 'Team',
      slug: 'team',
      description: null,
      toolNaming: 'NONE',
      toolFilterMode: 'ALLOW',
      toolFilter: ['everything__echo'],
      toolPinning: 'ENFORCE',
      serverIds: ['s2', 's1'],
      parts: { rules: [1] },
    });
    serverIds.push('s3');
    group.toolFilter.push('later');
    expect(snapshot.serverIds).toEqual(['s2', 's1']);
    expect(snapshot.toolFilter).toEqual(['everything__echo']);
  });
});

describe(membershipDiff.name, () => {
  const current = [
    { serverId: 'a', position: 0 },
    { serverId: 'b', position: 1 },
    { serverId: 'c', position: 3 },
  ];

  it('should do nothing when the membership already matches', () => {
    expect(membershipDiff(current.slice(0, 2), ['a', 'b'])).toEqual({ remove: [], add: [], move: [] });
  });

  it('should remove, add and reposition to reach the target order', () => {
    expect(membershipDiff(current, ['c', 'd', 'a'])).toEqual({
      remove: ['b'],
      add: [{ serverId: 'd', position: 1 }],
      move: [
        { serverId: 'c', position: 0 },
        { serverId: 'a', position: 2 },
      ],
    });
  });

  it('should empty the group when the target has no servers, and fill an empty group', () => {
    expect(membershipDiff(current, [])).toEqual({ remove: ['a', 'b', 'c'], add: [], move: [] });
    expect(membershipDiff([], ['x', 'y'])).toEqual({
      remove: [],
      add: [
        { serverId: 'x', position: 0 },
        { serverId: 'y', position: 1 },
      ],
      move: [],
    });
  });
});

describe(snapshotNaming.name, () => {
  it('should read a revision recorded before naming modes as PREFIX_ALWAYS, what every group did then', () => {
    const { toolNaming: _, ...old } = groupSnapshot(group, [], {});
    expect(snapshotNaming(old)).toBe(ToolNaming.PREFIX_ALWAYS);
    expect(snapshotNaming(groupSnapshot(group, [], {}))).toBe(ToolNaming.NONE);
  });
});

describe(snapshotView.name, () => {
  it('should give parts as JSON text, or null when no participant stored anything', () => {
    const snapshot = groupSnapshot(group, [], {});
    expect(snapshotView(snapshot).parts).toBeNull();
    expect(snapshotView({ ...snapshot, parts: { rules: [{ id: 'r1' }] } }).parts).toBe('{"rules":[{"id":"r1"}]}');
  });

  it('should give no pinning mode for a revision made before tool pinning existed', () => {
    const { toolPinning: _, ...older } = groupSnapshot(group, [], {});
    expect(snapshotView(older).toolPinning).toBeNull();
    expect(snapshotView(groupSnapshot(group, [], {})).toolPinning).toBe('ENFORCE');
  });
});
