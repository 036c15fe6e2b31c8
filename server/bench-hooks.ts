// What the benchmark (bench/) must see from inside the server process: CPU time, memory after a
// GC, event-bus subscribers, timers and handles. Only wired in when MYTHOS_BENCH=1, so production
// servers never answer it. `GET /debug/bench?gc=1` runs a full GC first when the server was started
// with `node --expose-gc`.
import type { Game } from './core/game.js';
import { sendJson, type Route } from './http.js';

export function benchEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MYTHOS_BENCH === '1';
}

export function benchRoute(game: Game): Route {
  return (_req, res, url) => {
    if (url.pathname !== '/debug/bench') return false;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (url.searchParams.get('gc') === '1' && gc) gc();
    const mem = process.memoryUsage();
    const resources: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
    sendJson(res, 200, {
      pid: process.pid,
      cpu: process.cpuUsage(),
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      gc: Boolean(gc),
      subscribers: game.bus.subscriberCount(),
      sessions: game.sessionCount(),
      players: game.presence.size,
      timers: resources.Timeout ?? 0,
      resources,
    });
    return true;
  };
}
