import { describe, expect, it } from '@jest/globals';
import { CallOutcome } from '#keys';
import { RpcCode, RpcError, UnknownNameError } from '../protocol/json-rpc.js';
import { outcomeOf } from './call-journal.js';

describe('outcomeOf', () => {
  it("should name the hub's own refusals before forwarding", () => {
    expect(outcomeOf(new UnknownNameError('Unknown tool: x'), false)).toBe(CallOutcome.NOT_FOUND);
    expect(outcomeOf(new RpcError(RpcCode.FORBIDDEN, 'Denied by routing rule'), false)).toBe(CallOutcome.RULE_DENIED);
    expect(outcomeOf(new RpcError(RpcCode.INVALID_PARAMS, 'params.name must be a non-empty string'), false)).toBe(CallOutcome.INVALID_REQUEST);
    expect(outcomeOf(new Error('boom'), false)).toBe(CallOutcome.HUB_ERROR);
  });

  it("should tell failures of the path from the upstream's own errors after forwarding", () => {
    expect(outcomeOf(new RpcError(RpcCode.UPSTREAM_TIMEOUT, 't'), true)).toBe(CallOutcome.TIMEOUT);
    expect(outcomeOf(new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'u'), true)).toBe(CallOutcome.UNAVAILABLE);
    expect(outcomeOf(new RpcError(RpcCode.UPSTREAM_MESSAGE_TOO_LARGE, 'l'), true)).toBe(CallOutcome.TOO_LARGE);
    expect(outcomeOf(new RpcError(RpcCode.REQUEST_CANCELLED, 'c'), true)).toBe(CallOutcome.CANCELLED);
    // An upstream answering FORBIDDEN or INVALID_PARAMS is the upstream's error, not a hub rule.
    expect(outcomeOf(new RpcError(RpcCode.FORBIDDEN, 'f'), true)).toBe(CallOutcome.UPSTREAM_ERROR);
    expect(outcomeOf(new RpcError(-32000, 'custom'), true)).toBe(CallOutcome.UPSTREAM_ERROR);
  });
});
