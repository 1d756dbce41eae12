import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';
import { createLogger } from './logger.js';

export const PINO = Symbol('PINO');
export type { Logger };

@Global()
@Module({
  providers: [{ provide: PINO, inject: [HUB_CONFIG], useFactory: (c: HubConfig) => createLogger(c.logLevel) }],
  exports: [PINO],
})
export class LoggingModule {}
