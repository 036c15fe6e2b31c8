// Starts the whole server: store, world, game, the telnet door and the HTTP/WebSocket door.
// `mythos serve` and `npm start` call startServer; tests start it as a child process.
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { startAdminApi } from './admin/api.js';
import { benchEnabled, benchRoute } from './bench-hooks.js';
import { Game } from './core/game.js';
import { onShutdown } from './core/moderation.js';
import { startHttp } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { startMetrics } from './metrics.js';
import { openSqliteStore } from './store/sqlite.js';
import { addTelnetExtensions } from './telnet/extensions.js';
import { startTelnetDoor } from './telnet/server.js';
import { BUNDLED_WORLD, loadWorld } from './world/load.js';
import { startWsDoor } from './ws/door.js';

export interface ServerOptions {
  host: string;
  telnetPort: number;
  wsPort: number;
  dataDir: string;
  world: string;
  resumeWindowS: number;
  /** Seconds between WebSocket heartbeat pings (0: off); a peer that misses two is dropped. */
  heartbeatS?: number;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  return {
    host: env.MYTHOS_HOST ?? '127.0.0.1',
    telnetPort: Number(env.MYTHOS_TELNET_PORT ?? 4000),
    wsPort: Number(env.MYTHOS_WS_PORT ?? 4001),
    dataDir: env.MYTHOS_DATA_DIR ?? './data',
    world: env.MYTHOS_WORLD ?? BUNDLED_WORLD,
    resumeWindowS: Number(env.MYTHOS_RESUME_WINDOW_S ?? 60),
    heartbeatS: Number(env.MYTHOS_HEARTBEAT_S ?? 30),
  };
}

export interface RunningServer {
  game: Game;
  telnetPort: number;
  wsPort: number;
  log: Logger;
  /** Tell everyone, save everyone, close everything. */
  stop(reason?: string): Promise<void>;
  /** Settles once a shutdown asked for by the admin API or @shutdown has stopped the server. */
  stopped: Promise<void>;
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

  // MYTHOS_LOGIN_TIMEOUT_S: how long a telnet connection may sit at the login prompts.
  const loginTimeoutS = Number(process.env.MYTHOS_LOGIN_TIMEOUT_S ?? 120);
  let boundTelnetPort = 0; // MSSP reports it; known once the door listens
  const telnet = startTelnetDoor(game, log, {
    limits: { loginTimeoutMs: loginTimeoutS * 1000 },
    setup: (conn) => addTelnetExtensions(conn, { game, log, telnetPort: () => boundTelnetPort }),
  });
  const http = startHttp(log);
  const ws = startWsDoor(game, http.server, log, {
    heartbeatMs: (opts.heartbeatS ?? 30) * 1000,
    limits: { loginTimeoutMs: loginTimeoutS * 1000 },
  });
  const connections = () => ({ telnet: telnet.connections.size, ws: ws.connections.size });
  const metrics = startMetrics({ game, connections, wsDropped: () => ws.dropped });
  http.route(metrics.route);
  const admin = startAdminApi({
    game,
    log,
    dataDir,
    connections,
  });
  http.route(admin.route);
  // MYTHOS_BENCH=1 only: GET /debug/bench for the benchmark (bench/); off in production.
  if (benchEnabled()) http.route(benchRoute(game));
  const telnetPort = await listen(telnet.server, opts.telnetPort, opts.host);
  boundTelnetPort = telnetPort;
  const wsPort = await listen(http.server, opts.wsPort, opts.host);

  let stopping: Promise<void> | null = null;
  let markStopped!: (done: Promise<void>) => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = (reason = 'The server is shutting down. Your character has been saved.') =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      admin.close();
      telnet.server.close();
      http.server.close();
      game.shutdown(reason);
      ws.close(reason);
      // Give the goodbye lines a moment to leave, then drop whoever is still connected.
      await new Promise((r) => setTimeout(r, 200));
      for (const conn of telnet.connections) conn.close();
      ws.terminate();
      metrics.stop();
      http.server.closeAllConnections();
      store.close();
      log.info('stopped');
    })());
  // The admin API's and @shutdown's countdown ends here, like a signal does.
  onShutdown(game, (notice) => {
    const done = stop(notice);
    markStopped(done);
    return done;
  });

  return { game, telnetPort, wsPort, log, stop, stopped };
}
