// Starts the whole server: store, world, game, the telnet door and the HTTP/WebSocket door.
// `mythos serve` and `npm start` call startServer; tests start it as a child process.
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { startAdminApi } from './admin/api.js';
import { removeServerFile, serverFileFor, writeServerFile } from './admin/server-file.js';
import { AddressCap } from './core/address-cap.js';
import { Game } from './core/game.js';
import { onShutdown } from './core/moderation.js';
import { startHttp } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { startMetrics } from './metrics.js';
import { openSqliteStore } from './store/sqlite.js';
import { addTelnetExtensions } from './telnet/extensions.js';
import { startTelnetDoor } from './telnet/server.js';
import type { ServerOptions } from './options.js';
import { loadWorld } from './world/load.js';
import { startWsDoor } from './ws/door.js';

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
  const store = openSqliteStore(join(dataDir, 'mythos.db'), {
    backgroundCheckpoints: true,
    onError: (err) => log.error({ err }, 'SQLite WAL checkpoint failed; the game connection checkpoints itself again'),
  });
  // The game owns its state (sessions, replay log, hashing pool, shutdown countdown); nothing here
  // is a module-level singleton, so two servers can run side by side in one process.
  const game = new Game({
    world,
    worldFile: opts.world,
    store,
    log,
    resumeWindowS: opts.resumeWindowS,
    replayLogBytes: opts.replayLogMb * 1024 * 1024,
  });
  log.info({ world: world.name, rooms: world.rooms.size, dataDir }, 'world loaded');

  const loginTimeoutS = opts.loginTimeoutS;
  // One count for both doors: the cap is on what an address holds, whichever door it came by.
  const addresses = new AddressCap(opts.maxConnectionsPerAddress);
  let boundTelnetPort = 0; // MSSP reports it; known once the door listens
  // The doors report to the metrics, and the metrics read the doors' counts at scrape time.
  const connections = () => ({ telnet: telnet.connections.size, ws: ws.connections.size });
  const metrics = startMetrics({ game, connections, wsDropped: () => ws.dropped });
  const telnet = startTelnetDoor(game, log, {
    limits: { loginTimeoutMs: loginTimeoutS * 1000 },
    setup: (conn) => addTelnetExtensions(conn, { game, log, telnetPort: () => boundTelnetPort }),
    addresses,
    observeDelivery: metrics.observeDelivery,
  });
  const http = startHttp(log);
  const ws = startWsDoor(game, http.server, log, {
    heartbeatMs: opts.heartbeatS * 1000,
    limits: { loginTimeoutMs: loginTimeoutS * 1000 },
    addresses,
    observeDelivery: metrics.observeDelivery,
  });
  http.route(metrics.route);
  const admin = startAdminApi({
    game,
    log,
    dataDir,
    connections,
  });
  http.route(admin.route);
  const telnetPort = await listen(telnet.server, opts.telnetPort, opts.host);
  boundTelnetPort = telnetPort;
  const wsPort = await listen(http.server, opts.wsPort, opts.host);
  // Where `mythos admin` on this machine finds the server from the data directory alone.
  const serverFile = writeServerFile(dataDir, serverFileFor({ host: opts.host, telnetPort, wsPort }));
  log.info({ file: serverFile }, 'server file written');

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
      removeServerFile(dataDir);
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
