import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { PINO, currentRequest, redactText, redactedJson, truncateUtf8 } from '#core';
import { CAPTURE_MAX_BYTES, CallCaptureRegistry, CallOutcome, ERROR_MAX_BYTES, UsageRecorder, type CallLogEntry, type CallRecord, type KeyPrincipal } from '#keys';
import { RpcCode, RpcError, UnknownNameError } from '../protocol/json-rpc.js';

/** Longest tool name or resource URI kept (agents choose them). */
const NAME_MAX_CHARS = 512;

/** A call being recorded: its entry so far and when it started. */
export interface OpenCall {
  readonly entry: CallLogEntry;
  readonly started: number;
  readonly capture: boolean;
}

/** How a call ended. `serverId` is set once it was forwarded: errors before that are the hub's own answers. */
export interface CallEnd {
  result?: Record<string, unknown>;
  error?: unknown;
  serverId?: string;
  replicaId?: string;
}

/** Errors the hub raises itself before forwarding, by code. */
const HUB_OUTCOMES: Record<number, CallOutcome> = {
  [RpcCode.FORBIDDEN]: CallOutcome.RULE_DENIED,
  [RpcCode.INVALID_PARAMS]: CallOutcome.INVALID_REQUEST,
  [RpcCode.HEADER_MISMATCH]: CallOutcome.INVALID_REQUEST,
  [RpcCode.UPSTREAM_UNAVAILABLE]: CallOutcome.UNAVAILABLE,
  [RpcCode.RATE_LIMITED]: CallOutcome.QUOTA_REFUSED,
  [RpcCode.QUOTA_STORE_UNAVAILABLE]: CallOutcome.QUOTA_REFUSED,
};

/** Failures of the path to the upstream (the hub's codes); any other JSON-RPC error is the upstream's answer. */
const PATH_OUTCOMES: Record<number, CallOutcome> = {
  [RpcCode.UPSTREAM_UNAVAILABLE]: CallOutcome.UNAVAILABLE,
  [RpcCode.UPSTREAM_TIMEOUT]: CallOutcome.TIMEOUT,
  [RpcCode.UPSTREAM_MESSAGE_TOO_LARGE]: CallOutcome.TOO_LARGE,
  [RpcCode.REQUEST_CANCELLED]: CallOutcome.CANCELLED,
};

export function outcomeOf(error: unknown, forwarded: boolean): CallOutcome {
  if (error instanceof UnknownNameError) return CallOutcome.NOT_FOUND;
  if (!(error instanceof RpcError)) return CallOutcome.HUB_ERROR;
  if (!forwarded) return HUB_OUTCOMES[error.code] ?? CallOutcome.HUB_ERROR;
  return PATH_OUTCOMES[error.code] ?? (error.code === RpcCode.INTERNAL_ERROR ? CallOutcome.HUB_ERROR : CallOutcome.UPSTREAM_ERROR);
}

const bounded = (text: string): string => {
  const { text: cut, cut: wasCut } = truncateUtf8(redactText(text), ERROR_MAX_BYTES);
  return wasCut ? `${cut}…` : cut;
};

/** The text a tool reported with `isError`: its text content. */
function toolErrorText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as { type?: unknown; text?: unknown }[]) : [];
  const text = content
    .filter((c) => c?.type === 'text' && typeof c.text === 'string')
    .map((c) => (c.text as string).slice(0, ERROR_MAX_BYTES))
    .join('\n');
  return bounded(text || 'The tool reported an error');
}

/**
 * Writes the call log from the data plane: opens an entry when an agent's call arrives (memory only, plus the
 * redacted arguments during a DEBUG capture) and records it with the call's usage when the call ends, in one step
 * of UsageRecorder (in Redis mode the one round trip that makes both durable before the answer leaves).
 */
@Injectable()
export class CallJournal {
  constructor(
    private readonly recorder: UsageRecorder,
    private readonly captures: CallCaptureRegistry,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  open(principal: KeyPrincipal, groupId: string | null, method: string, name: unknown, args: unknown): OpenCall {
    const capture = this.captures.capturing(principal.keyId, groupId);
    const entry: CallLogEntry = {
      at: Date.now(),
      keyId: principal.keyId,
      userId: principal.userId,
      groupId,
      serverId: null,
      replicaId: null,
      method,
      name: typeof name === 'string' ? name.slice(0, NAME_MAX_CHARS) : null,
      outcome: CallOutcome.OK,
      latencyMs: 0,
      error: null,
      correlationId: currentRequest()?.correlationId ?? null,
      arguments: capture ? this.captured(args ?? null) : null,
      result: null,
    };
    return { entry, started: performance.now(), capture };
  }

  /** Await before answering: resolves once the call is recorded (Redis) or buffered (embedded, or Redis failing). */
  async close(call: OpenCall, end: CallEnd, usage: CallRecord | null = null): Promise<void> {
    const { entry } = call;
    entry.latencyMs = performance.now() - call.started;
    entry.serverId = end.serverId ?? null;
    entry.replicaId = end.replicaId ?? null;
    if (end.error !== undefined) {
      entry.outcome = outcomeOf(end.error, end.serverId !== undefined);
      entry.error = bounded(end.error instanceof Error ? end.error.message : String(end.error));
    } else if (end.result?.isError === true) {
      entry.outcome = CallOutcome.TOOL_ERROR;
      entry.error = toolErrorText(end.result);
    }
    if (call.capture && end.result) entry.result = this.captured(end.result);
    await this.recorder.record(usage, entry);
  }

  private captured(value: unknown): string {
    try {
      return redactedJson(value, CAPTURE_MAX_BYTES);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'call capture could not serialise a body');
      return '"[not serialisable]"';
    }
  }
}
