import { describe, expect, it } from '@jest/globals';
import { nameGroup, type MemberCatalog } from './group-naming.js';
import { MAX_NAME_LENGTH, namespacedName } from './namespacing.js';
import type { ToolFilter } from './tool-filter.js';
import { ToolNaming } from './tool-naming.js';

type Item = { name?: string; uri?: string; uriTemplate?: string };
const member = (serverId: string, serverSlug: string, tools: string[], more: Partial<MemberCatalog<Item>> = {}): MemberCatalog<Item> => ({
  serverId,
  serverSlug,
  tools: tools.map((name) => ({ name })),
  prompts: [],
  resources: [],
  resourceTemplates: [],
  ...more,
});
const ALL: ToolFilter = { mode: 'NONE', tools: [] };
const a = member('s1', 'alpha', ['echo', 'add']);
const b = member('s2', 'beta', ['echo', 'read.file']);
const exposedNames = (naming: ReturnType<typeof nameGroup<Item>>) => naming.tools.filter((t) => t.exposed).map((t) => [t.name, t.serverId]);

describe(nameGroup.name, () => {
  it('should prefix every name in PREFIX_ALWAYS, making unsafe names safe', () => {
    expect(exposedNames(nameGroup(ToolNaming.PREFIX_ALWAYS, ALL, [a, b]))).toEqual([
      ['alpha__echo', 's1'],
      ['alpha__add', 's1'],
      ['beta__echo', 's2'],
      [namespacedName('beta', 'read.file'), 's2'],
    ]);
  });

  it('should leave a name alone in PREFIX_WHEN_NEEDED unless two members expose it, then prefix both', () => {
    const naming = nameGroup(ToolNaming.PREFIX_WHEN_NEEDED, ALL, [a, b]);
    expect(exposedNames(naming)).toEqual([
      ['alpha__echo', 's1'],
      ['add', 's1'],
      ['beta__echo', 's2'],
      [namespacedName('beta', 'read.file'), 's2'], // not a name LLM APIs accept: shortened and made safe as always
    ]);
    expect(naming.collisions).toEqual([
      {
        kind: 'TOOL',
        name: 'echo',
        resolution: 'PREFIXED',
        servers: [
          { serverId: 's1', serverSlug: 'alpha', name: 'alpha__echo', serves: true },
          { serverId: 's2', serverSlug: 'beta', name: 'beta__echo', serves: true },
        ],
      },
    ]);
  });

  it('should pass one server\'s names through unchanged in PREFIX_WHEN_NEEDED', () => {
    expect(exposedNames(nameGroup(ToolNaming.PREFIX_WHEN_NEEDED, ALL, [a]))).toEqual([
      ['echo', 's1'],
      ['add', 's1'],
    ]);
  });

  it('should prefix a bare name that clashes with another member\'s prefixed name, until no name repeats', () => {
    const tricky = member('s3', 'gamma', ['beta__echo']);
    const naming = nameGroup(ToolNaming.PREFIX_WHEN_NEEDED, ALL, [a, b, tricky]);
    const names = naming.tools.map((t) => t.name);
    expect(names).toContain('beta__echo');
    expect(names).toContain('gamma__beta__echo');
    expect(new Set(names).size).toBe(names.length);
    expect(naming.tools.find((t) => t.name === 'beta__echo')!.serverId).toBe('s2');
  });

  it('should never rename in NONE: the first member serves a shared name and the clash is reported', () => {
    const naming = nameGroup(ToolNaming.NONE, ALL, [a, b]);
    expect(exposedNames(naming)).toEqual([
      ['echo', 's1'],
      ['add', 's1'],
      ['read.file', 's2'],
    ]);
    expect(naming.tools.find((t) => t.serverId === 's2' && t.ownName === 'echo')).toMatchObject({ name: 'echo', exposed: false });
    expect(naming.collisions).toEqual([
      {
        kind: 'TOOL',
        name: 'echo',
        resolution: 'FIRST_SERVES',
        servers: [
          { serverId: 's1', serverSlug: 'alpha', name: 'echo', serves: true },
          { serverId: 's2', serverSlug: 'beta', name: 'echo', serves: false },
        ],
      },
    ]);
  });

  it('should let a filter entry on the prefixed name pick which member serves a shared name in NONE', () => {
    const naming = nameGroup(ToolNaming.NONE, { mode: 'DENY', tools: ['alpha__echo'] }, [a, b]);
    expect(exposedNames(naming)).toEqual([
      ['add', 's1'],
      ['echo', 's2'],
      ['read.file', 's2'],
    ]);
    expect(naming.collisions[0].servers.map((s) => s.serves)).toEqual([false, true]);
  });

  it('should match filter entries by the name agents see, the prefixed name or the server\'s own name, in every mode', () => {
    for (const mode of Object.values(ToolNaming)) {
      const allowPrefixed = nameGroup(mode, { mode: 'ALLOW', tools: ['alpha__add'] }, [a, b]);
      expect(allowPrefixed.tools.filter((t) => t.exposed).map((t) => t.ownName)).toEqual(['add']);
      const denyBare = nameGroup(mode, { mode: 'DENY', tools: ['add'] }, [a, b]);
      expect(denyBare.tools.filter((t) => !t.exposed).map((t) => t.ownName)).toContain('add');
    }
    // A bare entry for a name that became shared hides every tool of that name (fails closed).
    const denyShared = nameGroup(ToolNaming.PREFIX_WHEN_NEEDED, { mode: 'DENY', tools: ['echo'] }, [a, b]);
    expect(denyShared.tools.filter((t) => t.exposed).map((t) => t.name)).toEqual(['add', namespacedName('beta', 'read.file')]);
  });

  it('should keep every name within 64 characters and the same for the same inputs', () => {
    const long = member('s9', 'x'.repeat(40), ['y'.repeat(90), 'echo']);
    for (const mode of [ToolNaming.PREFIX_ALWAYS, ToolNaming.PREFIX_WHEN_NEEDED]) {
      const first = nameGroup(mode, ALL, [a, long]);
      for (const tool of first.tools) expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(first.tools.map((t) => t.name)).toEqual(nameGroup(mode, ALL, [a, long]).tools.map((t) => t.name));
      expect(first.tools.find((t) => t.ownName === 'y'.repeat(90))!.name).toHaveLength(MAX_NAME_LENGTH);
    }
  });

  it('should name prompts by the same mode and report a shared prompt name', () => {
    const withPrompts = (m: MemberCatalog<Item>) => ({ ...m, prompts: [{ name: 'greet' }, { name: `only_${m.serverSlug}` }] });
    const whenNeeded = nameGroup(ToolNaming.PREFIX_WHEN_NEEDED, ALL, [withPrompts(a), withPrompts(b)]);
    expect(whenNeeded.prompts.map((p) => [p.name, p.serverId])).toEqual([
      ['alpha__greet', 's1'],
      ['only_alpha', 's1'],
      ['beta__greet', 's2'],
      ['only_beta', 's2'],
    ]);
    const none = nameGroup(ToolNaming.NONE, ALL, [withPrompts(a), withPrompts(b)]);
    expect(none.prompts.map((p) => [p.name, p.serverId])).toEqual([
      ['greet', 's1'],
      ['only_alpha', 's1'],
      ['only_beta', 's2'],
    ]);
    expect(none.collisions).toContainEqual(expect.objectContaining({ kind: 'PROMPT', name: 'greet', resolution: 'FIRST_SERVES' }));
  });

  it('should give a URI two members list to the first, and report it', () => {
    const r = (m: MemberCatalog<Item>, uris: string[]) => ({ ...m, resources: uris.map((uri) => ({ uri })), resourceTemplates: [{ uriTemplate: 'file:///{path}' }] });
    const naming = nameGroup(ToolNaming.PREFIX_ALWAYS, ALL, [r(a, ['test://shared', 'test://a']), r(b, ['test://shared'])]);
    expect(naming.resources.map((x) => [x.item.uri, x.serverId])).toEqual([
      ['test://shared', 's1'],
      ['test://a', 's1'],
    ]);
    expect(naming.resourceTemplates.map((x) => x.serverId)).toEqual(['s1']);
    expect(naming.collisions.filter((c) => c.kind === 'RESOURCE').map((c) => [c.name, c.servers.map((s) => s.serves)])).toEqual([
      ['test://shared', [true, false]],
      ['file:///{path}', [true, false]],
    ]);
  });

  it('should count a name one server lists twice once, and not as a collision', () => {
    const naming = nameGroup(ToolNaming.NONE, ALL, [member('s1', 'alpha', ['echo', 'echo'])]);
    expect(naming.tools).toHaveLength(1);
    expect(naming.collisions).toEqual([]);
  });
});
