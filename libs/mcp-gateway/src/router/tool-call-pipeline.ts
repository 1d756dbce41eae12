import { Injectable } from '@nestjs/common';
import { CallTracer } from '#core';
import { GatewayView } from '../catalog/gateway-view.service.js';
import type { GroupCatalog, NamedRoute } from '../catalog/group-catalog.js';
import { METRIC_OUTCOME, type CallOutcome } from '../metrics/call-outcome.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { RpcCode, RpcError, UnknownNameError, requireString } from '../protocol/json-rpc.js';
import { checkParamHeaders } from '../protocol/param-headers.js';
import { QuotaRefusedError } from '../quota/quota-gate.js';
import type { CallContext } from './call-context.js';
import { CallJournal, outcomeOf, type OpenCall } from './call-journal.js';
import { InputRequiredBridge } from './input-rounds-for-stateless.js';
import { TRANSPORT_FAILURES, UpstreamForwarder } from './upstream-forwarder.js';

type Params = Record<string, unknown>;

interface Plan {
  serverIds: string[];
  timeoutMs?: number;
  replicaId?: string;
}

/**
 * One tools/call from any front-end, in one order: authorize (the name is one the agent's group exposes) → plan
 * (naming map, routing rules: DENY, ROUTE, FALLBACK, TIMEOUT) → charge the key's quota → forward along the plan →
 * record usage and the call-log entry (one step); metrics and (when on) a trace span around the whole. Only calls
 * that are forwarded are charged; calls the hub refuses itself (bad or unknown name, a rule's DENY, over quota) are
 * logged too.
 */
@Injectable()
export class ToolCallPipeline {
  constructor(
    private readonly view: GatewayView,
    private readonly forwarder: UpstreamForwarder,
    private readonly journal: CallJournal,
    private readonly metrics: GatewayMetrics,
    private readonly tracer: CallTracer,
    private readonly inputs: InputRequiredBridge,
  ) {}

  async call(params: Params, ctx: CallContext, catalog: () => Promise<GroupCatalog>): Promise<Record<string, unknown>> {
    const entry = this.journal.open(ctx.session.principal, this.view.group(ctx.session.groupSlug)?.id ?? null, 'tools/call', params.name, params.arguments);
    let name: string;
    let route: NamedRoute;
    let current: GroupCatalog;
    try {
      name = requireString(params, 'name');
      current = await catalog();
      const found = current.tool(name);
      if (!found) throw current.withheld(name) ?? new UnknownNameError(`Unknown tool: ${name}`);
      if (ctx.stateless && found.headerParams) checkParamHeaders(found.headerParams, params.arguments, ctx.stateless.paramHeaders);
      route = found;
    } catch (error) {
      await this.journal.close(entry, { error }); // refused by the hub itself: logged, no usage
      throw error;
    }
    const group = ctx.session.groupSlug;
    const span = ctx.span && this.tracer.start('mcp.tool_call', { kind: 'internal', parent: ctx.span, attributes: { 'mcphub.group': group, 'gen_ai.tool.name': route.name } });
    // `forwarded`: the plan held and the call went out (a rule's DENY happens before).
    const used = { serverId: route.serverId, forwarded: false };
    const started = performance.now();
    let outcome: CallOutcome | undefined = 'error';
    try {
      const result = await this.forwardPlanned(name, route, params, span ? { ...ctx, span } : ctx, used, entry, current);
      outcome = result.isError === true ? 'tool_error' : 'ok';
      return result;
    } catch (error) {
      // Over quota is counted by its own metric (mcphub_quota_refusals), not as a call.
      outcome = error instanceof QuotaRefusedError ? undefined : METRIC_OUTCOME[outcomeOf(error, used.forwarded)];
      throw error;
    } finally {
      const server = this.view.server(used.serverId)?.slug ?? '?';
      if (outcome) this.metrics.recordCall(group, server, route.name, outcome, (performance.now() - started) / 1000);
      if (span) {
        outcome ??= 'denied';
        span.setAttributes({ 'mcphub.server': server, 'mcphub.outcome': outcome });
        if (outcome !== 'ok') span.fail(outcome);
        span.end();
      }
    }
  }

  /** Plans, then tries the plan's servers in order; `used` says which one served (or failed last). */
  private async forwardPlanned(
    name: string,
    route: NamedRoute,
    params: Params,
    ctx: CallContext,
    used: { serverId: string; forwarded: boolean },
    entry: OpenCall,
    catalog: GroupCatalog,
  ) {
    let plan: Plan;
    const resumedOn = ctx.stateless?.resumedOn;
    try {
      // A later round of a 2026 server's multi-round call goes back to that server and was charged in round one.
      plan = resumedOn ? this.resumedPlan(resumedOn, ctx) : pinnedPlan(this.plan(name, route, params, ctx), route.name, name, catalog);
      if (!resumedOn) await ctx.quota?.charge();
    } catch (error) {
      await this.journal.close(entry, { error }); // a rule's DENY or over quota: logged, no usage
      throw error;
    }
    const started = performance.now();
    const served: { replicaId?: string } = {};
    let result: Record<string, unknown> | undefined;
    let failure: unknown;
    used.serverId = plan.serverIds[0];
    used.forwarded = true;
    try {
      const upstreamParams = { ...params, name: route.name };
      let lastError: RpcError | undefined;
      for (const serverId of plan.serverIds) {
        used.serverId = serverId;
        try {
          result = await this.forwarder.forward(serverId, 'tools/call', upstreamParams, ctx, { retrySafe: route.retrySafe, timeoutMs: plan.timeoutMs, replicaId: plan.replicaId, served });
          return ctx.stateless ? this.inputs.sealUpstream(result, ctx, serverId, InputRequiredBridge.target('tools/call', params)) : result;
        } catch (error) {
          // A fallback chain moves on only when the server could not serve the call (unreachable, timed out).
          if (!(error instanceof RpcError) || !TRANSPORT_FAILURES.has(error.code)) throw error;
          lastError = error;
        }
      }
      throw lastError!;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Awaited: in Redis mode the call (usage and call-log entry, one step) is recorded before its answer leaves
      // this hub (a kill -9 then loses nothing).
      const usage = {
        keyId: ctx.session.principal.keyId,
        serverId: used.serverId,
        serverSlug: this.view.server(used.serverId)?.slug ?? '?',
        tool: route.name,
        ok: result !== undefined && result.isError !== true,
        latencyMs: performance.now() - started,
      };
      await this.journal.close(entry, { result, error: failure, serverId: used.serverId, replicaId: served.replicaId }, usage);
    }
  }

  private resumedPlan(serverId: string, ctx: CallContext): Plan {
    const group = this.view.group(ctx.session.groupSlug);
    if (!group?.serverIds.includes(serverId)) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'The server this request continues on is no longer in this group');
    return { serverIds: [serverId] };
  }

  /** Where a tool call goes: the namespace owner, unless the group's first matching routing rule says otherwise. */
  private plan(name: string, route: NamedRoute, params: Params, ctx: CallContext): Plan {
    const group = this.view.group(ctx.session.groupSlug);
    const decision = group ? this.view.rulesOf(group.id)?.evaluate({
      toolName: name,
      toolAliases: route.aliases,
      arguments: params.arguments as Record<string, unknown> | undefined,
      keyId: ctx.session.principal.keyId,
      keyTags: ctx.session.principal.tags,
    }) : undefined;
    const action = decision?.action;
    if (!action) return { serverIds: [route.serverId] };
    const inGroup = (id: string) => group!.serverIds.includes(id) && !!this.view.server(id);
    const ruleName = `routing rule "${decision!.rule!.name}"`;
    switch (action.type) {
      case 'DENY':
        throw new RpcError(RpcCode.FORBIDDEN, `Denied by ${ruleName}: ${action.message}`);
      case 'TIMEOUT':
        return { serverIds: [route.serverId], timeoutMs: action.timeoutMs };
      case 'ROUTE':
        if (!inGroup(action.serverId)) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `The server chosen by ${ruleName} is no longer in this group`);
        return { serverIds: [action.serverId], timeoutMs: action.timeoutMs, replicaId: action.replicaId };
      case 'FALLBACK': {
        const chain = action.serverIds.filter(inGroup);
        if (!chain.length) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `No server of the fallback chain of ${ruleName} is in this group any more`);
        return { serverIds: chain, timeoutMs: action.timeoutMs };
      }
    }
  }
}

/** Tool pinning on a rule's plan: servers whose tool of that name is withheld drop out; none left is refused. */
function pinnedPlan(plan: Plan, toolName: string, agentName: string, catalog: GroupCatalog): Plan {
  const refusals = plan.serverIds.map((id) => catalog.withholdsOn(id, toolName, agentName));
  if (!refusals.some(Boolean)) return plan;
  const serverIds = plan.serverIds.filter((_, i) => !refusals[i]);
  if (!serverIds.length) throw refusals[0]!;
  return { ...plan, serverIds };
}
