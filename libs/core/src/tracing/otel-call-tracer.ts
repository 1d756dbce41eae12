import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/hub-config.js';
import { OutageLog } from '../redis/outage-log.js';
import { CallTracer, type SpanAttributes, type SpanOptions, type TraceSpan, type TraceSpanKind } from './call-tracer.js';

const KINDS: Record<TraceSpanKind, SpanKind> = { server: SpanKind.SERVER, internal: SpanKind.INTERNAL, client: SpanKind.CLIENT };
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

class OtelSpan implements TraceSpan {
  constructor(readonly span: Span) {}
  setAttributes(attributes: SpanAttributes): void {
    this.span.setAttributes(attributes);
  }
  fail(reason: string): void {
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  }
  end(): void {
    this.span.end();
  }
}

/** A remote parent from the agent's W3C `traceparent` header, so the hub's spans join the agent's trace. */
function remoteParent(traceparent: string | undefined): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return ROOT_CONTEXT;
  const traceFlags = parseInt(match[3], 16) & TraceFlags.SAMPLED;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: match[1], spanId: match[2], traceFlags, isRemote: true });
}

/** The SDK drops spans it cannot send without a word: say so once per outage of the collector. */
class OutageLoggingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly outage: OutageLog,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.outage.recovered();
      else this.outage.failed(result.error ?? new Error('export failed'), { droppedSpans: spans.length });
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * OpenTelemetry tracer with its own provider (not the global one: several apps in one process keep apart), spans
 * batched and sent with the OTLP/HTTP (JSON) exporter to OTEL_EXPORTER_OTLP_ENDPOINT.
 */
export class OtelCallTracer extends CallTracer implements OnApplicationShutdown {
  readonly enabled = true;
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(
    config: HubConfig['tracing'],
    private readonly logger?: Logger,
  ) {
    super();
    const otlp = new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
    const exporter = new OutageLoggingExporter(otlp, new OutageLog(logger, `OpenTelemetry collector at ${config.tracesUrl}`));
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    this.tracer = this.provider.getTracer('mcp-hub');
  }

  start(name: string, options: SpanOptions): TraceSpan {
    const context = options.parent instanceof OtelSpan ? trace.setSpan(ROOT_CONTEXT, options.parent.span) : remoteParent(options.traceparent);
    return new OtelSpan(this.tracer.startSpan(name, { kind: KINDS[options.kind], attributes: options.attributes }, context));
  }

  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Sends what is left; an unreachable collector must not fail the hub's shutdown. */
  async onApplicationShutdown(): Promise<void> {
    await this.provider.shutdown().catch((error: Error) => this.logger?.warn({ err: error.message }, 'could not send the last spans'));
  }
}
