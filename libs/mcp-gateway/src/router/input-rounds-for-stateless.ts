import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { HUB_CONFIG, type HubConfig } from '#core';
import { RpcCode, RpcError, type JsonRpcId } from '../protocol/json-rpc.js';
import { CAPABILITY_OF } from '../protocol/client-requests.js';
import { nameOf } from '../protocol/param-headers.js';
import { RequestStateSeal, type HubRequestState } from '../protocol/request-state.js';
import type { McpSession } from '../session/mcp-session.js';
import type { HubMessageOf } from '../session/session-bus.js';
import { SessionBus } from '../session/session-bus.js';
import { SessionRegistry } from '../session/session-registry.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { CallContext } from './call-context.js';

type Result = Record<string, unknown>;

/** A question a 2025-era server asked (elicitation/create, sampling/createMessage, roots/list) and awaits. */
interface Question {
  key: string;
  connection: UpstreamConnection;
  upstreamId: JsonRpcId;
  method: string;
  params: Record<string, unknown>;
}

type Settled = { result: Result } | { error: unknown };

/** A stateless agent's call the hub holds open with a 2025-era server while the agent answers its questions. */
interface HeldCall {
  id: string;
  state: Omit<HubRequestState, 'exp' | 'pending'>;
  work: Promise<Settled>;
  questions: Question[];
  nextKey: number;
  session?: McpSession;
  /** Wakes whoever waits for the next question. */
  wake?: () => void;
  timer: NodeJS.Timeout;
}

/** What interrupts a stateless call before its result: a question for the agent, or a capability it lacks. */
type Interrupt = { question: Omit<Question, 'key'> } | { error: RpcError };

const GONE = 'Invalid params: the request this requestState continues is no longer held (it timed out, ended, or its hub stopped); send it again without requestState';

/** Methods that may answer with InputRequiredResult (SEP-2322). */
export const INPUT_REQUIRED_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
 * Multi-round requests of the 2026-07-28 revision (SEP-2322) for stateless agents, whatever the server speaks:
 * - a 2026 server's InputRequiredResult passes through, its requestState sealed inside the hub's own (so the agent
 *   cannot point it at another server, key or call, and a tampered state is refused);
 * - a 2025 server's server→client request during a stateless call becomes an InputRequiredResult: the hub holds the
 *   upstream call open (on this hub, for requestTimeoutMs) until the agent retries with inputResponses.
 */
@Injectable()
export class InputRequiredBridge {
  private readonly held = new Map<string, HeldCall>();
  private readonly interrupts = new WeakMap<McpSession, (interrupt: Interrupt) => void>();
  private readonly heldBySession = new WeakMap<McpSession, HeldCall>();
  /** Later rounds this hub sent to the hub holding their call, by round id, awaiting its answer. */
  private readonly remoteRounds = new Map<string, (outcome: HubMessageOf<'continued'>['outcome']) => void>();

  constructor(
    private readonly seal: RequestStateSeal,
    private readonly sessions: SessionRegistry,
    private readonly bus: SessionBus,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    this.bus.on('continue', (message) => void this.continueFor(message));
    this.bus.on('continued', (message) => this.remoteRounds.get(message.callId)?.(message.outcome));
  }

  /** `tools/call <name>`: a state answers only the call it was issued for. */
  static target(method: string, params: Record<string, unknown>): string {
    return `${method} ${String(nameOf(method, params))}`;
  }

  /** The verified state of a continued request, or undefined for a first round. Refuses a state not issued for it. */
  resume(params: Record<string, unknown>, ctx: CallContext, target: string): HubRequestState | undefined {
    if (params.requestState === undefined) return undefined;
    const state = this.seal.open(params.requestState);
    if (!state || state.keyId !== ctx.session.principal.keyId || state.groupSlug !== ctx.session.groupSlug || state.target !== target) {
      throw new RpcError(RpcCode.INVALID_PARAMS, 'Invalid params: requestState failed its integrity check (altered, expired, or issued for another request)');
    }
    return state;
  }

  /** A 2026 server's InputRequiredResult, its state wrapped in the hub's; any other result unchanged. */
  sealUpstream(result: Result, ctx: CallContext, serverId: string, target: string): Result {
    if (result.resultType !== 'input_required') return result;
    const state = this.issue({ ...this.owner(ctx, target), serverId, upstream: typeof result.requestState === 'string' ? result.requestState : undefined });
    return { ...result, requestState: state };
  }

  /**
   * Runs a stateless agent's first round. Should the 2025 server ask the agent something meanwhile, answers with
   * an InputRequiredResult (or -32021 when the agent did not declare the capability) and holds the call.
   */
  async run(ctx: CallContext, target: string, work: () => Promise<Result>): Promise<Result> {
    const session = ctx.session;
    const interrupted = new Promise<Interrupt>((resolve) => this.interrupts.set(session, resolve));
    const settled = work().then(
      (result): Settled => ({ result }),
      (error: unknown): Settled => ({ error }),
    );
    const first = await Promise.race([settled, interrupted]);
    if ('result' in first) return first.result;
    if ('error' in first) throw first.error; // the call failed, or needs a capability the agent did not declare
    const call: HeldCall = {
      id: randomBytes(16).toString('base64url'),
      state: this.owner(ctx, target),
      work: settled,
      questions: [],
      nextKey: 1,
      timer: setTimeout(() => this.abandon(call, 'the agent did not answer in time'), this.config.gateway.requestTimeoutMs),
    };
    call.timer.unref();
    this.held.set(call.id, call);
    this.heldBySession.set(session, call);
    this.sessions.track(session); // the server may ask again: its questions must find this call
    call.session = session;
    this.ask(call, first.question);
    void settled.finally(() => this.release(call));
    return this.inputRequired(call);
  }

  /** A later round of a held call: hands the answers to the server, then waits for its result or next question. */
  async continue(state: HubRequestState, params: Record<string, unknown>): Promise<Result> {
    if (state.hub && state.hub !== this.bus.hubId) return this.continueElsewhere(state, state.hub, params);
    const call = state.pending ? this.held.get(state.pending) : undefined;
    if (!call) {
      throw new RpcError(RpcCode.INVALID_PARAMS, GONE);
    }
    const answers = (params.inputResponses ?? {}) as Record<string, unknown>;
    for (const question of [...call.questions]) {
      const answer = answers[question.key];
      if (answer === undefined || answer === null || typeof answer !== 'object') continue; // still asked in the next result
      call.questions.splice(call.questions.indexOf(question), 1);
      void question.connection.respond(question.upstreamId, { result: answer as Result });
    }
    if (call.questions.length) return this.inputRequired(call);
    const next = new Promise<'asked'>((resolve) => (call.wake = () => resolve('asked')));
    const outcome = await Promise.race([call.work, next]);
    if (outcome === 'asked') return this.inputRequired(call);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /**
   * The call is held by another hub (the balancer sent this round elsewhere): the round goes there through Redis
   * and its answer comes back. Only rounds of held calls travel; every other request is served where it lands.
   */
  private continueElsewhere(state: HubRequestState, hub: string, params: Record<string, unknown>): Promise<Result> {
    const callId = randomBytes(12).toString('base64url');
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => settle({ error: { code: RpcCode.UPSTREAM_TIMEOUT, message: 'The hub holding this request did not answer in time' } }), this.config.gateway.requestTimeoutMs);
      timer.unref();
      const settle = (outcome: HubMessageOf<'continued'>['outcome']) => {
        if (!this.remoteRounds.delete(callId)) return;
        clearTimeout(timer);
        if ('result' in outcome) resolve(outcome.result);
        else reject(new RpcError(outcome.error.code, outcome.error.message, outcome.error.data));
      };
      this.remoteRounds.set(callId, settle);
      void this.bus.toHub(hub, { kind: 'continue', callId, replyTo: this.bus.hubId, state, params }).then((heard) => {
        if (!heard) settle({ error: { code: RpcCode.INVALID_PARAMS, message: GONE } });
      });
    });
  }

  /** Another hub's agent answered a call this hub holds. */
  private async continueFor(message: HubMessageOf<'continue'>): Promise<void> {
    let outcome: HubMessageOf<'continued'>['outcome'];
    try {
      outcome = { result: await this.continue({ ...message.state, hub: this.bus.hubId }, message.params) };
    } catch (error) {
      const rpc = error instanceof RpcError ? error : new RpcError(RpcCode.INTERNAL_ERROR, `Internal error: ${(error as Error).message}`);
      outcome = { error: rpc.toJson() };
    }
    await this.bus.toHub(message.replyTo, { kind: 'continued', callId: message.callId, outcome });
  }

  /**
   * A 2025 server's server→client request caused by a stateless call (from UpstreamRelay). The agent cannot be
   * asked on its stream (the revision forbids requests there): it is asked in an InputRequiredResult instead.
   */
  onUpstreamRequest(session: McpSession, connection: UpstreamConnection, upstreamId: JsonRpcId, method: string, params: Record<string, unknown>): void {
    const capability = CAPABILITY_OF[method];
    // A 2025 server asks roots/list whenever it likes (right after initialize, on list changes), not as part of one
    // call: on a shared connection it cannot be laid at this request's door, so it is refused, not made the call's end.
    if (method === 'roots/list') {
      void connection.respond(upstreamId, { error: { code: RpcCode.METHOD_NOT_FOUND, message: 'Roots are not relayed to stateless agents' } });
      return;
    }
    if (!capability || !session.supports(capability)) {
      void connection.respond(upstreamId, { error: { code: RpcCode.MISSING_CLIENT_CAPABILITY, message: `The agent did not declare the ${capability} capability` } });
      this.interrupts.get(session)?.({
        error: new RpcError(RpcCode.MISSING_CLIENT_CAPABILITY, `Missing client capability: the server needs ${capability} (${method}), which this request's _meta did not declare`, {
          requiredCapabilities: { [capability]: {} },
        }),
      });
      return;
    }
    const question = { connection, upstreamId, method, params };
    const held = this.heldBySession.get(session);
    if (held) {
      this.ask(held, question);
      held.wake?.();
    } else this.interrupts.get(session)?.({ question });
  }

  private ask(call: HeldCall, question: Omit<Question, 'key'>): void {
    call.questions.push({ ...question, key: `input-${call.nextKey++}` });
  }

  private inputRequired(call: HeldCall): Result {
    const inputRequests = Object.fromEntries(call.questions.map((q) => [q.key, { method: q.method, params: q.params }]));
    return { resultType: 'input_required', inputRequests, requestState: this.issue({ ...call.state, pending: call.id, ...(this.bus.shared ? { hub: this.bus.hubId } : {}) }) };
  }

  private owner(ctx: CallContext, target: string) {
    return { keyId: ctx.session.principal.keyId, groupSlug: ctx.session.groupSlug, target };
  }

  private issue(state: Omit<HubRequestState, 'exp'>): string {
    return this.seal.seal({ ...state, exp: Date.now() + this.config.gateway.requestTimeoutMs });
  }

  /** The agent went away: the server's open questions get an error, so the upstream call ends too. */
  private abandon(call: HeldCall, why: string): void {
    for (const q of call.questions) void q.connection.respond(q.upstreamId, { error: { code: RpcCode.UPSTREAM_TIMEOUT, message: `The hub gave up: ${why}` } });
    call.questions.length = 0;
    this.release(call);
  }

  private release(call: HeldCall): void {
    clearTimeout(call.timer);
    if (this.held.delete(call.id)) this.sessions.untrack(call.session!);
  }
}
