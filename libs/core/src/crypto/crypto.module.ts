import { Global, Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';
import { SealedColumnRegistry } from './sealed-columns.js';
import { SecretBox } from './secret-box.js';

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) => new SecretBox(config.encryption.key, config.encryption.previousKeys),
    },
    SealedColumnRegistry,
  ],
  exports: [SecretBox, SealedColumnRegistry],
})
export class CryptoModule {}
