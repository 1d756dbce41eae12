import { describe, expect, it } from '@jest/globals';
import type { JsonRpcMessage } from '../protocol/json-rpc.js';
import { RemoteStreamChannel } from './remote-stream-channel.js';
import type { HubMessage, SessionBus } from './session-bus.js';

/** A bus whose other hubs hear messages while `listening` is true. */
function busStandIn() {
  const heard: { hubId: string; message: HubMessage }[] = [];
  const bus = {
    listening: true,
    toHub: async (hubId: string, message: HubMessage) => {
      if (bus.listening) heard.push({ hubId, message });
      return bus.listening;
    },
  };
  return { bus, heard };
}

const ping = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, result: {} });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(RemoteStreamChannel.name, () => {
  it('should send what it is given to the hub holding the stream, for this session', async () => {
    const { bus, heard } = busStandIn();
    const channel = new RemoteStreamChannel(bus as unknown as SessionBus, 'hub-a', 'session-1', () => undefined);
    channel.send(ping(1));
    await settle();
    expect(heard).toEqual([{ hubId: 'hub-a', message: { kind: 'stream', sessionId: 'session-1', message: ping(1) } }]);
    expect(channel.open).toBe(true);
  });

  it('should end the session once, and close, when no hub hears it (the stream\'s hub is gone)', async () => {
    const { bus, heard } = busStandIn();
    bus.listening = false;
    let ended = 0;
    const channel = new RemoteStreamChannel(bus as unknown as SessionBus, 'hub-a', 'session-1', () => ended++);
    channel.send(ping(1));
    channel.send(ping(2));
    await settle();
    expect(ended).toBe(1);
    expect(channel.open).toBe(false);
    bus.listening = true;
    channel.send(ping(3));
    await settle();
    expect(heard).toEqual([]);
  });
});
