import { describe, expect, it } from '@jest/globals';
import { fillVariables, referencedVariables } from './template-variables.js';

describe('template variables', () => {
  const config = {
    type: 'stdio',
    command: 'npx',
    args: ['-y', 'server', '--token=${API_TOKEN}', '${input:keep}'],
    env: { GITHUB_TOKEN: '${GITHUB_TOKEN}', PLAIN: 'x', ['${NOT_A_TEMPLATE}']: 'key' },
    headers: { Authorization: 'Bearer ${GITHUB_TOKEN}' },
  };

  it('finds names in string values only, not in object keys or VS Code references', () => {
    expect([...referencedVariables(config)].sort()).toEqual(['API_TOKEN', 'GITHUB_TOKEN']);
  });

  it('fills every reference and leaves everything else as it was', () => {
    const filled = fillVariables(config, new Map([['API_TOKEN', 'a1'], ['GITHUB_TOKEN', 'g2']]));
    expect(filled.args).toEqual(['-y', 'server', '--token=a1', '${input:keep}']);
    expect(filled.env).toEqual({ GITHUB_TOKEN: 'g2', PLAIN: 'x', ['${NOT_A_TEMPLATE}']: 'key' });
    expect(filled.headers.Authorization).toBe('Bearer g2');
    expect(config.env.GITHUB_TOKEN).toBe('${GITHUB_TOKEN}'); // the template itself is untouched
  });
});
