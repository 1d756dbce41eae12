export { Credential, CredentialScope } from './credential.entity.js';
export { CredentialsModule, CredentialsApiModule } from './credentials.module.js';
export { CredentialsService, type SetCredential } from './credentials.service.js';
export { CredentialResolver, type VariableSubject } from './variables/credential-resolver.js';
export { referencedVariables, fillVariables, VARIABLE_NAME } from './variables/template-variables.js';
export { ServerVariableType } from './graphql/credential.type.js';
