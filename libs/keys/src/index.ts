export { ApiKey } from './api-key.entity.js';
export { KeysModule } from './keys.module.js';
export { KeysService } from './keys.service.js';
export { ApiKeyVerifier, type KeyPrincipal, type KeyCheck } from './api-key-verifier.service.js';
export { QuotaService, type QuotaDecision, type QuotaLimits } from './quota/quota.service.js';
export { UsageRecorder, type CallRecord } from './usage/usage.recorder.js';
export { UsageBucket } from './usage/usage-bucket.entity.js';
export { parseApiKey, hashMatches, displayPrefix } from './api-key-format.js';
export { API_KEY_TAG_PATTERN, MAX_API_KEY_TAGS, apiKeyTagSchema, apiKeyTagsSchema } from './api-key-tags.js';
