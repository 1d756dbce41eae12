import { describe, expect, it } from '@jest/globals';
import { groupTools } from './group-tools.js';
import { namespacedName } from './namespacing.js';

const members = [
  { serverId: 's1', serverSlug: 'everything', tools: [{ name: 'echo' }, { name: 'add' }] },
  { serverId: 's2', serverSlug: 'fs', tools: [{ name: 'read.file' }] },
];

describe(groupTools.name, () => {
  it('should name every member tool as agents see it, in member order, all exposed without a filter', () => {
    expect(groupTools({ mode: 'NONE', tools: [] }, members).map((t) => [t.name, t.serverId, t.tool.name, t.exposed])).toEqual([
      ['everything__echo', 's1', 'echo', true],
      ['everything__add', 's1', 'add', true],
      [namespacedName('fs', 'read.file'), 's2', 'read.file', true],
    ]);
  });

  it('should expose only the listed tools in ALLOW mode and all but them in DENY mode', () => {
    const exposed = (mode: 'ALLOW' | 'DENY') => groupTools({ mode, tools: ['everything__echo'] }, members).filter((t) => t.exposed).map((t) => t.name);
    expect(exposed('ALLOW')).toEqual(['everything__echo']);
    expect(exposed('DENY')).toEqual(['everything__add', namespacedName('fs', 'read.file')]);
  });

  it('should let the first member own a name two members would share', () => {
    const twice = [members[0], { serverId: 's3', serverSlug: 'everything', tools: [{ name: 'echo' }] }];
    expect(groupTools({ mode: 'NONE', tools: [] }, twice).filter((t) => t.name === 'everything__echo').map((t) => t.serverId)).toEqual(['s1']);
  });
});
