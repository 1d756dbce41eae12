export { SignInModule } from './sign-in.module.js';
export { SignInProvider } from './sign-in-provider.js';
export type { ExternalProfile } from './external-profile.js';
export { EXTERNAL_GROUPS_SYNC, type ExternalGroupsSync } from './external-groups.hook.js';
export { UserIdentity } from './identities/user-identity.entity.js';
export { SignInFlow } from './flow/sign-in-flow.entity.js';
export { SignInCode } from './codes/sign-in-code.entity.js';
export { SignInSealedColumnsModule } from './flow/sign-in-flow-columns.js';
