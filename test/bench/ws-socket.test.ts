import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { RawWebSocket } from '../../bench/clients/ws-socket.js';

// The load generator's WebSocket client against the `ws` server: an independent implementation
// of both ends of RFC 6455.
let server: WebSocketServer | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function pair(): Promise<{ url: string; peer: Promise<WebSocket> }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => server!.once('listening', resolve));
  const peer = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, peer };
}

function collector() {
  const got: string[] = [];
  let closed = false;
  let wake = () => {};
  return {
    got,
    get closed() {
      return closed;
    },
    handlers: {
      message: (data: Buffer) => {
        got.push(data.toString('utf8'));
        wake();
      },
      close: () => {
        closed = true;
        wake();
      },
    },
    until: (check: () => boolean) =>
      new Promise<void>((resolve) => {
        const poll = () => (check() ? resolve() : (wake = poll));
        poll();
      }),
  };
}

describe('RawWebSocket (the load generator client)', () => {
  it('hands over messages of every length form in order, and its own reach the server', async () => {
    const { url, peer } = await pair();
    const c = collector();
    const ws = await RawWebSocket.open(url, c.handlers, 5000);
    const server = await peer;
    const heard: string[] = [];
    server.on('message', (d) => heard.push(d.toString()));
    const texts = ['hi', 'x'.repeat(126), 'y'.repeat(70_000), 'Ärger ☠'];
    for (const t of texts) server.send(t);
    await c.until(() => c.got.length === texts.length);
    expect(c.got).toEqual(texts);
    ws.send('command ☠');
    ws.send('z'.repeat(300));
    await new Promise<void>((resolve) => {
      const check = () => (heard.length === 2 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(heard).toEqual(['command ☠', 'z'.repeat(300)]);
    ws.terminate();
  });

  it('joins a fragmented message, answers a ping with a pong, and sees the close', async () => {
    const { url, peer } = await pair();
    const c = collector();
    await RawWebSocket.open(url, c.handlers, 5000);
    const server = await peer;
    server.send('part one, ', { fin: false });
    server.send('part two', { fin: true });
    const pong = new Promise<string>((resolve) => server.once('pong', (d) => resolve(d.toString())));
    server.ping('are you there');
    expect(await pong).toBe('are you there');
    await c.until(() => c.got.length === 1);
    expect(c.got).toEqual(['part one, part two']);
    const closedCode = new Promise<number>((resolve) => server.once('close', (code) => resolve(code)));
    server.close(1000, 'bye');
    await c.until(() => c.closed);
    expect(await closedCode).toBe(1000);
  });

  it('refuses a server that does not complete the handshake', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: () => false });
    await new Promise((resolve) => server!.once('listening', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
    await expect(RawWebSocket.open(url, collector().handlers, 5000)).rejects.toThrow(/handshake refused: HTTP\/1.1 401/);
  });
});
