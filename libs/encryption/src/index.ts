export { EncryptionModule } from './encryption.module.js';
export { EncryptionKeysService } from './encryption-keys.service.js';
export { EncryptionKeyKind, type EncryptionKeyView } from './encryption-key-view.js';
