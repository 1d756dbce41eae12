import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHttpUpstreamTransport } from './streamable-http-upstream.transport.js';

/**
 * A keep-alive HTTP server on a raw socket, so a test decides what happens to each request: `reset(connection,
 * request)` true makes the server reset that connection (RST) instead of answering, as a server that closed an idle
 * socket just as the request arrived does. Everything else gets a JSON-RPC result echoing the id.
 */
async function keepAliveServer(reset: (connection: number, request: number) => boolean, answerAfterMs = 0) {
  const seen: { connection: number; id: unknown }[] = [];
  let connections = 0;
  const server: Server = createServer((socket: Socket) => {
    const connection = connections++;
    let requests = 0;
    let buffered = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, end).toString())?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const { id } = JSON.parse(buffered.subarray(end + 4, end + 4 + length).toString()) as { id: unknown };
        buffered = buffered.subarray(end + 4 + length);
        seen.push({ connection, id });
        if (reset(connection, requests++)) return void socket.resetAndDestroy();
        const body = JSON.stringify({ jsonrpc: '2.0', id, result: {} });
        setTimeout(() => socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`), answerAfterMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: new URL(`http://127.0.0.1:${port}/mcp`), seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const request = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: {} } }) as JSONRPCMessage;

describe(StreamableHttpUpstreamTransport.name, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  async function connect(reset: (connection: number, request: number) => boolean, { answerAfterMs = 0, idleSocketMs }: { answerAfterMs?: number; idleSocketMs?: number } = {}) {
    const server = await keepAliveServer(reset, answerAfterMs);
    const transport = new StreamableHttpUpstreamTransport(server.url, {}, 1_000_000, idleSocketMs ? { timeout: idleSocketMs } : {});
    const received: JSONRPCMessage[] = [];
    transport.onmessage = (message) => received.push(message);
    cleanup.push(() => transport.close(), server.close);
    return { server, transport, received };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  it('should send a request once more on a new socket when its kept-alive socket was reset before any answer', async () => {
    const { server, transport, received } = await connect((connection, n) => connection === 0 && n === 1);
    await transport.send(request(1));
    await until(() => received.length === 1);
    await transport.send(request(2));
    await until(() => received.length === 2);
    expect(received.map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    expect(server.seen).toEqual([{ connection: 0, id: 1 }, { connection: 0, id: 2 }, { connection: 1, id: 2 }]);
  });

  it('should do the same for a 2026-07-28 exchange', async () => {
    const { server, transport } = await connect((connection, n) => connection === 0 && n === 1);
    const answers: JSONRPCMessage[] = [];
    await transport.exchange(request(1), {}, { onMessage: (m) => answers.push(m) });
    await transport.exchange(request(2), {}, { onMessage: (m) => answers.push(m) });
    expect(answers.map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    expect(server.seen.map((s) => s.connection)).toEqual([0, 0, 1]);
  });

  it('should not send again when a new socket is reset: the server may have read the request', async () => {
    const { server, transport } = await connect((connection) => connection === 0);
    await expect(transport.send(request(1))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.seen).toEqual([{ connection: 0, id: 1 }]);
  });

  it('should fail the call when the new socket is reset too', async () => {
    const { server, transport, received } = await connect((connection, n) => (connection === 0 && n === 1) || connection === 1);
    await transport.send(request(1));
    await until(() => received.length === 1);
    await expect(transport.send(request(2))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.seen).toEqual([{ connection: 0, id: 1 }, { connection: 0, id: 2 }, { connection: 1, id: 2 }]);
  });

  it('should wait for an answer that takes longer than an idle socket is kept', async () => {
    const { transport, received } = await connect(() => false, { answerAfterMs: 300, idleSocketMs: 50 });
    await transport.send(request(1));
    await until(() => received.length === 1);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });
});
