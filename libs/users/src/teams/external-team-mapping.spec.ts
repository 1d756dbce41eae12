import { describe, expect, it } from '@jest/globals';
import { TeamRole } from '#auth';
import type { ExternalTeamMapping } from '#core';
import { desiredExternalRoles } from './external-team-mapping.js';

const mapping: ExternalTeamMapping[] = [
  { externalGroup: 'g-leads', teamSlug: 'platform', role: 'OWNER' },
  { externalGroup: 'g-devs', teamSlug: 'platform', role: 'MEMBER' },
  { externalGroup: 'g-data', teamSlug: 'data', role: 'MEMBER' },
];

describe(desiredExternalRoles.name, () => {
  it('should give the highest role any of the person’s groups maps to, whatever the order', () => {
    expect(desiredExternalRoles(mapping, ['g-devs', 'g-leads'])).toEqual(new Map([['platform', TeamRole.OWNER]]));
    expect(desiredExternalRoles([...mapping].reverse(), ['g-leads', 'g-devs'])).toEqual(new Map([['platform', TeamRole.OWNER]]));
  });

  it('should match group ids without regard to case or spaces and ignore unmapped groups', () => {
    expect(desiredExternalRoles(mapping, [' G-DATA ', 'elsewhere'])).toEqual(new Map([['data', TeamRole.MEMBER]]));
    expect(desiredExternalRoles(mapping, [])).toEqual(new Map());
  });
});
