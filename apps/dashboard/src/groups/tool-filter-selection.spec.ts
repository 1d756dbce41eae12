import { describe, expect, it } from '@jest/globals';
import { filterOf, selectionOf } from './tool-filter-selection';

const tools = [
  { name: 'alpha__echo', qualifiedName: 'alpha__echo', toolName: 'echo' },
  { name: 'beta__echo', qualifiedName: 'beta__echo', toolName: 'echo' },
  { name: 'add', qualifiedName: 'alpha__add', toolName: 'add' },
];

describe('tool filter selection', () => {
  it('should check a tool listed by any of its names, and keep entries that name no tool', () => {
    expect(selectionOf(['alpha__add', 'gone__tool'], tools)).toEqual({ checked: ['alpha__add'], unknown: ['gone__tool'] });
    expect(selectionOf(['add'], tools).checked).toEqual(['alpha__add']);
    // A bare name two servers share names both tools, as the gateway reads it.
    expect(selectionOf(['echo'], tools).checked).toEqual(['alpha__echo', 'beta__echo']);
  });

  it('should store the checked tools by their prefixed names, once each', () => {
    expect(filterOf(['alpha__add', 'alpha__add', 'gone__tool'])).toEqual(['alpha__add', 'gone__tool']);
  });
});
