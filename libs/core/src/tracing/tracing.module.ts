import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config.js';
import { PINO, type Logger } from '../logging/logging.module.js';
import { CallTracer, NoopCallTracer } from './call-tracer.js';

/** The hub's call tracer: OpenTelemetry when an OTLP endpoint is configured, else a no-op (SDK not even loaded). */
@Global()
@Module({})
export class TracingModule {
  static forRoot(config: HubConfig): DynamicModule {
    const provider = {
      provide: CallTracer,
      inject: [{ token: PINO, optional: true }],
      useFactory: async (logger?: Logger): Promise<CallTracer> => {
        if (!config.tracing.tracesUrl) return new NoopCallTracer();
        const { OtelCallTracer } = await import('./otel-call-tracer.js');
        return new OtelCallTracer(config.tracing, logger);
      },
    };
    return { module: TracingModule, providers: [provider], exports: [CallTracer] };
  }
}
