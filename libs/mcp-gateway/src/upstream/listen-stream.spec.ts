import { describe, expect, it } from '@jest/globals';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcNotification } from '../protocol/json-rpc.js';
import { ListenStream, type SubscriptionFilter } from './listen-stream.js';

/** A stand-in for the server's side of subscriptions/listen: each opened stream can be fed and ended. */
function fakeServer() {
  const streams: { filter: SubscriptionFilter; send(m: JSONRPCMessage): void; end(): void; signal: AbortSignal }[] = [];
  const delivered: JsonRpcNotification[] = [];
  const transport = {
    exchange: (filter: SubscriptionFilter, onMessage: (m: JSONRPCMessage) => void, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve());
        streams.push({ filter, send: onMessage, end: resolve, signal });
      }),
    deliver: (m: JsonRpcNotification) => void delivered.push(m),
  };
  return { streams, delivered, transport };
}

const ack = { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: {} } } as JSONRPCMessage;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe(ListenStream.name, () => {
  it('should not open a stream for a server that announces no list changes', () => {
    const { streams, transport } = fakeServer();
    new ListenStream({ tools: {} }, transport).start();
    expect(streams).toHaveLength(0);
  });

  it("should ask for what the server announces, pass notifications on, and re-open at once with a resource's subscription", async () => {
    const { streams, delivered, transport } = fakeServer();
    const listen = new ListenStream({ tools: { listChanged: true }, resources: { subscribe: true } }, transport);
    listen.start();
    await until(() => streams.length === 1);
    expect(streams[0].filter).toEqual({ toolsListChanged: true });
    streams[0].send(ack);
    streams[0].send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' } as JSONRPCMessage);
    expect(delivered.map((m) => m.method)).toEqual(['notifications/tools/list_changed']);

    listen.setResource('file:///a', true);
    await until(() => streams.length === 2);
    expect(streams[0].signal.aborted).toBe(true);
    expect(streams[1].filter).toEqual({ toolsListChanged: true, resourceSubscriptions: ['file:///a'] });
    listen.stop();
  });

  it('should re-open a dropped stream and announce the lists it watches as changed (changes in between are not replayed)', async () => {
    const { streams, delivered, transport } = fakeServer();
    const listen = new ListenStream({ prompts: { listChanged: true } }, transport);
    listen.start();
    await until(() => streams.length === 1);
    streams[0].send(ack);
    expect(delivered).toEqual([]);
    streams[0].end();
    await until(() => streams.length === 2);
    streams[1].send(ack);
    expect(delivered.map((m) => m.method)).toEqual(['notifications/prompts/list_changed']);
    listen.stop();
  });
});
