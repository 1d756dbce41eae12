import { loadOrCreateEmbeddedSecrets } from './embedded-secrets.js';
import { parseConfig, type HubConfig, type HubEnv } from './hub-config.js';

/** Boot-time entry: validates env, generating embedded-mode secrets into DATA_DIR when needed. */
export function loadConfig(env: HubEnv = process.env): { config: HubConfig; warnings: string[] } {
  const warnings: string[] = [];
  const config = parseConfig(env, () => {
    const secrets = loadOrCreateEmbeddedSecrets(env.DATA_DIR || './.data');
    if (secrets.created) {
      warnings.push(
        'Embedded mode: generated an encryption key and JWT secret into DATA_DIR/secrets.json. ' +
          'Back this file up; set HUB_ENCRYPTION_KEY and JWT_SECRET in production.',
      );
    }
    return secrets;
  });
  return { config, warnings };
}
