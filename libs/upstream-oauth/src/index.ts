export { UpstreamOAuthModule, UpstreamOAuthApiModule } from './upstream-oauth.module.js';
export { UpstreamTokens, refreshAt, type Bearer } from './upstream-tokens.service.js';
export { UPSTREAM_CALLBACK_PATH, UpstreamAuthorizationState } from './upstream-authorization.service.js';
export { ServerOAuthSetting } from './entities/server-oauth-setting.entity.js';
export { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
export { UpstreamAuthorizationRequest } from './entities/upstream-authorization-request.entity.js';
export { UpstreamOAuthClient } from './entities/upstream-oauth-client.entity.js';
