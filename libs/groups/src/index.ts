export { Group, ToolFilterMode } from './group.entity.js';
export { GroupServer } from './group-server.entity.js';
export { GroupsModule } from './groups.module.js';
export { GroupsService, type ResolvedGroup } from './groups.service.js';
export { GroupType, GroupEndpointsType } from './graphql/group.type.js';
export { TOOL_NAME_PATTERN } from './group-input.schema.js';
export { groupEndpoints, groupClientConfig, type GroupEndpoints } from './group-endpoints.js';
export { GroupRevision } from './revisions/group-revision.entity.js';
