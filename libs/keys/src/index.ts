export { ApiKey } from './api-key.entity.js';
export { KeysModule } from './keys.module.js';
export { KeysService } from './keys.service.js';
export { parseApiKey, hashMatches, displayPrefix } from './api-key-format.js';
