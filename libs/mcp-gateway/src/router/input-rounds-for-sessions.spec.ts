import { describe, expect, it } from '@jest/globals';
import { RpcCode } from '../protocol/json-rpc.js';
import { McpSession } from '../session/mcp-session.js';
import { MAX_INPUT_ROUNDS, bridgeInputRequired } from './input-rounds-for-sessions.js';

const principal = { keyId: 'k', userId: 'u', tags: [] } as unknown as ConstructorParameters<typeof McpSession>[1];
const session = (capabilities: Record<string, unknown>) => Object.assign(new McpSession('s', principal, 'g', 'streamable-http', '2025-11-25'), { clientCapabilities: capabilities });
const elicit = (key: string, state?: string) => ({
  resultType: 'input_required',
  inputRequests: { [key]: { method: 'elicitation/create', params: { message: key } } },
  ...(state ? { requestState: state } : {}),
});

describe(bridgeInputRequired.name, () => {
  it("should ask each round's questions, then retry with the answers and the server's requestState unchanged, until complete", async () => {
    const asked: string[] = [];
    const retries: unknown[] = [];
    const rounds = [elicit('second', 'st-2'), { resultType: 'complete', content: [] }];
    const result = await bridgeInputRequired(
      elicit('first', 'st-1'),
      'srv',
      session({ elicitation: {} }),
      async (method, params) => (asked.push(`${method} ${String(params.message)}`), { action: 'accept', content: { n: asked.length } }),
      async (extra) => (retries.push(extra), rounds.shift()!),
    );
    expect(result).toEqual({ resultType: 'complete', content: [] });
    expect(asked).toEqual(['elicitation/create first', 'elicitation/create second']);
    expect(retries).toEqual([
      { inputResponses: { first: { action: 'accept', content: { n: 1 } } }, requestState: 'st-1' },
      { inputResponses: { second: { action: 'accept', content: { n: 2 } } }, requestState: 'st-2' },
    ]);
  });

  it('should refuse, naming the capability, when the session did not declare it; and input it cannot relay', async () => {
    const never = async () => ({});
    await expect(bridgeInputRequired(elicit('x'), 'srv', session({}), never, never)).rejects.toMatchObject({
      code: RpcCode.MISSING_CLIENT_CAPABILITY,
      message: expect.stringContaining('elicitation'),
    });
    const odd = { resultType: 'input_required', inputRequests: { x: { method: 'tasks/get' } } };
    await expect(bridgeInputRequired(odd, 'srv', session({ elicitation: {} }), never, never)).rejects.toThrow(/cannot relay \(tasks\/get\)/);
  });

  it(`should give up after ${MAX_INPUT_ROUNDS} rounds`, async () => {
    let retries = 0;
    const endless = bridgeInputRequired(elicit('again'), 'srv', session({ elicitation: {} }), async () => ({ action: 'decline' }), async () => (retries++, elicit('again')));
    await expect(endless).rejects.toThrow(/still required input after 10 rounds/);
    expect(retries).toBe(MAX_INPUT_ROUNDS);
  });
});
