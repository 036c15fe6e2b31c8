// The WebSocket front door: `ws` on the HTTP server of --ws-port, at /ws. It upgrades requests,
// gives each socket a WsConnection, and runs one heartbeat timer for all of them.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { AddressCap, tooManyConnections } from '../core/address-cap.js';
import type { Game } from '../core/game.js';
import { ignoreDeliveries, type DeliveryObserver } from '../metrics.js';
import { DEFAULT_WS_LIMITS, WsConnection, type DropReason, type WsLimits } from './connection.js';

export const WS_PATH = '/ws';

export interface WsDoorOptions {
  /** Milliseconds between heartbeat pings; 0 turns the heartbeat off. */
  heartbeatMs?: number;
  /**
   * Largest frame read; a bigger one makes `ws` close the connection with 1009. Below it, a frame
   * too big to be a message is answered with an error and the connection stays (frames.ts).
   */
  maxPayload?: number;
  limits?: Partial<WsLimits>;
  /** Shared with the telnet door, so the cap counts both. */
  addresses?: AddressCap;
  /** The metrics' delivery time. */
  observeDelivery?: DeliveryObserver;
}

export interface WsDoor {
  readonly connections: ReadonlySet<WsConnection>;
  /** Clients cut loose so far, per reason (for /metrics). */
  readonly dropped: ReadonlyMap<DropReason, number>;
  /** Stop accepting and close every connection with `notice`. */
  close(notice?: string): void;
  /** Drop whoever has not finished closing. */
  terminate(): void;
}

export const DEFAULT_HEARTBEAT_MS = 30_000;
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export function startWsDoor(game: Game, server: Server, log: Logger, opts: WsDoorOptions = {}): WsDoor {
  const limits: WsLimits = { ...DEFAULT_WS_LIMITS, ...opts.limits };
  const addresses = opts.addresses ?? new AddressCap();
  const connections = new Set<WsConnection>();
  const dropped = new Map<DropReason, number>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    clientTracking: false,
    perMessageDeflate: false,
  });
  let accepting = true;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      path = '';
    }
    if (path !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!accepting || game.closing) return refuse(socket, 503, 'Service Unavailable');
    const addr = req.socket.remoteAddress ?? 'unknown';
    if (!addresses.admit(addr)) {
      log.warn({ addr, open: addresses.count(addr) }, 'websocket connection refused: too many from this address');
      return refuse(socket, 429, 'Too Many Requests', tooManyConnections(addresses.max));
    }
    // Counted from here; released once, whether the upgrade completes or the socket dies first.
    socket.once('close', () => addresses.release(addr));
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new WsConnection(ws, {
        socket,
        game,
        log,
        limits,
        remoteAddress: addr,
        dropped: (reason) => dropped.set(reason, (dropped.get(reason) ?? 0) + 1),
        observe: opts.observeDelivery ?? ignoreDeliveries,
      });
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
      log.info({ addr, port: req.socket.remotePort }, 'websocket connection');
    });
  });
  wss.on('error', (err) => log.error({ err }, 'websocket server error'));

  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const timer =
    heartbeatMs > 0
      ? setInterval(() => {
          for (const conn of connections) conn.heartbeat();
        }, heartbeatMs)
      : null;
  timer?.unref();

  return {
    connections,
    dropped,
    close(notice = 'The server is shutting down; come back soon.') {
      accepting = false;
      if (timer) clearInterval(timer);
      for (const conn of [...connections]) conn.close(notice);
    },
    terminate() {
      for (const conn of connections) conn.terminate();
      wss.close();
    },
  };
}

function refuse(socket: Duplex, status: number, text: string, body = ''): void {
  const length = Buffer.byteLength(body);
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${length}\r\n\r\n${body}`);
}
