import { DomainError, ErrorCode, badInput } from '#core';

export const priorityTaken = (groupSlug: string, priority: number, holder: string | undefined) =>
  new DomainError(
    ErrorCode.CONFLICT,
    `input.priority: group ${groupSlug} already has a rule with priority ${priority}${holder ? ` ('${holder}')` : ''}; priorities are unique within a group`,
    { field: 'input.priority' },
  );

export const serverNotInGroup = (field: string, serverId: string, groupSlug: string) =>
  badInput(field, `server ${serverId} is not in group ${groupSlug}; rules may send calls only to the group's servers`);

export const tooManyRules = (groupSlug: string, limit: number) =>
  badInput('input.groupId', `group ${groupSlug} already has ${limit} rules, the most a group may have`);

export const replicaNotOfServer = (field: string, replicaId: string, serverId: string) =>
  badInput(field, `replica ${replicaId} is not a replica of server ${serverId}`);
