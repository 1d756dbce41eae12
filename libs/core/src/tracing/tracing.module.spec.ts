import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { parseConfig } from '../config/hub-config.js';
import { CallTracer, NoopCallTracer } from './call-tracer.js';
import { TracingModule } from './tracing.module.js';

const secrets = { HUB_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'j'.repeat(40) };

describe(TracingModule.name, () => {
  it('should provide the no-op tracer when no OTLP endpoint is set', async () => {
    const app = await Test.createTestingModule({ imports: [TracingModule.forRoot(parseConfig(secrets))] }).compile();
    const tracer = app.get(CallTracer);
    expect(tracer).toBeInstanceOf(NoopCallTracer);
    expect(tracer.enabled).toBe(false);
  });

  it('should provide an enabled OpenTelemetry tracer when an endpoint is set', async () => {
    const config = parseConfig({ ...secrets, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    const app = await Test.createTestingModule({ imports: [TracingModule.forRoot(config)] }).compile();
    const tracer = app.get(CallTracer);
    expect(tracer.enabled).toBe(true);
    expect(tracer.constructor.name).toBe('OtelCallTracer');
    await app.close();
  });
});
