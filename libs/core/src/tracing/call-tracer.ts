export type SpanAttributes = Record<string, string | number | boolean | undefined>;
export type TraceSpanKind = 'server' | 'internal' | 'client';

/** One span of an agent call's path; the attributes name things (group, server, tool), never argument values. */
export interface TraceSpan {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span as failed with a short reason. */
  fail(reason: string): void;
  end(): void;
}

export interface SpanOptions {
  kind: TraceSpanKind;
  attributes?: SpanAttributes;
  /** The span this one belongs to; else `traceparent` (W3C header of the agent's request) or a new trace. */
  parent?: TraceSpan;
  traceparent?: string;
}

/**
 * Traces of the call path. Callers check `enabled` before building a span: without OTEL_EXPORTER_OTLP_ENDPOINT the
 * tracer is the no-op below and the OpenTelemetry SDK is never loaded.
 */
export abstract class CallTracer {
  abstract readonly enabled: boolean;
  abstract start(name: string, options: SpanOptions): TraceSpan;
  /** Exports the spans ended so far (tests; shutdown does it too). */
  abstract flush(): Promise<void>;
}

const NOOP_SPAN: TraceSpan = { setAttributes: () => undefined, fail: () => undefined, end: () => undefined };

export class NoopCallTracer extends CallTracer {
  readonly enabled = false;
  start(): TraceSpan {
    return NOOP_SPAN;
  }
  async flush(): Promise<void> {}
}
