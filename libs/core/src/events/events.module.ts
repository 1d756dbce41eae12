import { Global, Module } from '@nestjs/common';
import { ConfigChangeBus } from './config-change-bus.js';

@Global()
@Module({ providers: [ConfigChangeBus], exports: [ConfigChangeBus] })
export class EventsModule {}
