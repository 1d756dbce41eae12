import { RpcCode, RpcError } from '../protocol/json-rpc.js';
import type { McpSession } from '../session/mcp-session.js';
import { CAPABILITY_OF } from '../protocol/client-requests.js';

type Result = Record<string, unknown>;

/** Rounds of questions one call may need before the hub gives up (the SDK clients' default cap). */
export const MAX_INPUT_ROUNDS = 10;

export const isInputRequired = (result: Result) => result.resultType === 'input_required';

/**
 * A 2026-07-28 upstream answered a 2025-era agent's call with InputRequiredResult: ask the agent each embedded
 * request as the server→client request it was in the 2025 era (only those its session declared), then call the
 * upstream again with the answers and its requestState, until the result is complete. Bounded in rounds; each
 * question is bounded by the relay's timeout, each retry by the call's.
 */
export async function bridgeInputRequired(
  first: Result,
  slug: string,
  session: McpSession,
  ask: (method: string, params: Result) => Promise<Result>,
  retry: (extra: { inputResponses: Result; requestState?: string }) => Promise<Result>,
): Promise<Result> {
  let result = first;
  for (let round = 0; isInputRequired(result); round++) {
    if (round >= MAX_INPUT_ROUNDS) {
      throw new RpcError(RpcCode.INTERNAL_ERROR, `Server "${slug}" still required input after ${MAX_INPUT_ROUNDS} rounds`, { server: slug });
    }
    const requests = (result.inputRequests as Record<string, { method?: unknown; params?: Result }> | undefined) ?? {};
    const inputResponses: Result = {};
    // One at a time: an agent answers one question before the next, as it would have in the 2025 era.
    for (const [key, request] of Object.entries(requests)) {
      const method = String(request?.method);
      const capability = Object.hasOwn(CAPABILITY_OF, method) ? CAPABILITY_OF[method] : undefined;
      if (!capability) throw new RpcError(RpcCode.INTERNAL_ERROR, `Server "${slug}" asked for input the hub cannot relay (${method})`, { server: slug });
      if (!session.supports(capability)) {
        throw new RpcError(
          RpcCode.MISSING_CLIENT_CAPABILITY,
          `Server "${slug}" needs the agent's ${capability} capability to answer (${method}); this agent's session did not declare it`,
          { server: slug, requiredCapability: capability },
        );
      }
      inputResponses[key] = await ask(method, request.params ?? {});
    }
    const requestState = typeof result.requestState === 'string' ? result.requestState : undefined;
    result = await retry(requestState === undefined ? { inputResponses } : { inputResponses, requestState });
  }
  return result;
}
