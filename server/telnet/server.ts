// The telnet front door: a node:net server that gives each socket a TelnetConnection.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { AddressCap, tooManyConnections } from '../core/address-cap.js';
import type { Game } from '../core/game.js';
import { ignoreDeliveries, type DeliveryObserver } from '../metrics.js';
import { DEFAULT_LIMITS, TelnetConnection, type TelnetDeps, type TelnetLimits } from './connection.js';
import { QuietPrompts } from './quiet-prompts.js';

export interface TelnetDoor {
  server: Server;
  connections: Set<TelnetConnection>;
  /** Extra options (GMCP, MSSP...) are added to each connection by these. */
}

export function startTelnetDoor(
  game: Game,
  log: Logger,
  opts: {
    limits?: Partial<TelnetLimits>;
    setup?: (conn: TelnetConnection) => void;
    /** Shared with the WebSocket door, so the cap counts both. */
    addresses?: AddressCap;
    /** The metrics' delivery time. */
    observeDelivery?: DeliveryObserver;
  } = {},
): TelnetDoor {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const addresses = opts.addresses ?? new AddressCap();
  const connections = new Set<TelnetConnection>();
  const deps: TelnetDeps = { observe: opts.observeDelivery ?? ignoreDeliveries, quietPrompts: new QuietPrompts() };
  const server = createServer((socket: Socket) => {
    const addr = socket.remoteAddress ?? 'unknown';
    if (!addresses.admit(addr)) {
      log.warn({ addr, open: addresses.count(addr) }, 'telnet connection refused: too many from this address');
      socket.on('error', () => socket.destroy());
      socket.end(tooManyConnections(addresses.max) + '\r\n');
      setTimeout(() => socket.destroy(), 2000).unref();
      return;
    }
    socket.once('close', () => addresses.release(addr));
    const conn = new TelnetConnection(socket, game, log, limits, deps);
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
    log.info({ addr: socket.remoteAddress, port: socket.remotePort }, 'telnet connection');
    if (game.closing) {
      conn.close('The server is shutting down; come back soon.');
      return;
    }
    opts.setup?.(conn);
    conn.start();
  });
  server.on('error', (err) => log.error({ err }, 'telnet server error'));
  return { server, connections };
}
