// Starts the whole server: store, world, game, the telnet door and the HTTP/WebSocket door.
// `mythos serve` and `npm start` call startServer; tests start it as a child process.
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { Game } from './core/game.js';
import { startHttp } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { openSqliteStore } from './store/sqlite.js';
import { startTelnetDoor } from './telnet/server.js';
import { BUNDLED_WORLD, loadWorld } from './world/load.js';

export interface ServerOptions {
  host: string;
  telnetPort: number;
  wsPort: number;
  dataDir: string;
  world: string;
  resumeWindowS: number;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  return {
    host: env.MYTHOS_HOST ?? '127.0.0.1',
    telnetPort: Number(env.MYTHOS_TELNET_PORT ?? 4000),
    wsPort: Number(env.MYTHOS_WS_PORT ?? 4001),
    dataDir: env.MYTHOS_DATA_DIR ?? './data',
    world: env.MYTHOS_WORLD ?? BUNDLED_WORLD,
    resumeWindowS: Number(env.MYTHOS_RESUME_WINDOW_S ?? 60),
  };
}

export interface RunningServer {
  game: Game;
  telnetPort: number;
  wsPort: number;
  log: Logger;
  /** Tell everyone, save everyone, close everything. */
  stop(reason?: string): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
  return (server.address() as AddressInfo).port;
}

export async function startServer(opts: ServerOptions, log: Logger = createLogger()): Promise<RunningServer> {
  const world = loadWorld(opts.world);
  const dataDir = resolve(opts.dataDir);
  const store = openSqliteStore(join(dataDir, 'mythos.db'));
  const game = new Game({ world, store, log, resumeWindowS: opts.resumeWindowS });
  log.info({ world: world.name, rooms: world.rooms.size, dataDir }, 'world loaded');

  const telnet = startTelnetDoor(game, log);
  const http = startHttp(log);
  const telnetPort = await listen(telnet.server, opts.telnetPort, opts.host);
  const wsPort = await listen(http.server, opts.wsPort, opts.host);

  let stopping: Promise<void> | null = null;
  const stop = (reason = 'The server is shutting down. Your character has been saved.') =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      telnet.server.close();
      http.server.close();
      game.shutdown(reason);
      // Give the goodbye lines a moment to leave, then drop whoever is still connected.
      await new Promise((r) => setTimeout(r, 200));
      for (const conn of telnet.connections) conn.close();
      http.server.closeAllConnections();
      store.close();
      log.info('stopped');
    })());

  return { game, telnetPort, wsPort, log, stop };
}
