// The admin API of PROTOCOL.md section 5: JSON under /admin/ on the --ws-port HTTP server. Every
// request is authorised before anything else, so without the token no path (not even "no such
// path") says anything about the server. The work itself is core/moderation.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { PlayerName, type Door } from '../../shared/protocol.js';
import type { Game } from '../core/game.js';
import {
  DEFAULT_GRACE_S,
  banAccount,
  broadcast,
  createAccount,
  kickPlayer,
  onlinePlayers,
  reloadWorld,
  requestShutdown,
  setPassword,
  setRole,
  shutdownIn,
  unbanAccount,
  type Outcome,
} from '../core/moderation.js';
import { sendJson, type Route } from '../http.js';
import { FailureThrottle } from '../core/failure-throttle.js';
import { bearerToken, loadAdminToken, tokenMatches, type AdminToken } from './auth.js';
import { readBody } from './body.js';
import { EventRate } from './event-rate.js';
import {
  BanBody,
  BroadcastBody,
  CreateAccountBody,
  KickBody,
  PasswordBody,
  RoleBody,
  ShutdownBody,
  type AccountsAnswer,
  type PlayersAnswer,
  type StatusAnswer,
} from './schemas.js';

export interface AdminApiOptions {
  game: Game;
  log: Logger;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Open connections per door (including those still at the login prompts). */
  connections(): Record<Door, number>;
  throttle?: FailureThrottle;
}

export interface AdminApi {
  route: Route;
  token: AdminToken;
  close(): void;
}

/** Requests held back by the failure throttle at once; beyond this they get 429 straight away. */
const MAX_WAITING = 64;

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  /** For the audit log: `api@ADDRESS`. */
  by: string;
  params: string[];
}

interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: RegExp;
  run(call: Call): Promise<void> | void;
}

const HTTP_STATUS: Record<string, number> = {
  no_such_player: 404,
  no_such_account: 404,
  no_such_room: 404,
  name_taken: 409,
  invalid_world: 422,
};

function answer(res: ServerResponse, outcome: Outcome, okStatus = 200): void {
  if (outcome.ok) sendJson(res, okStatus, outcome);
  else sendJson(res, HTTP_STATUS[outcome.code] ?? 400, { error: outcome.code, message: outcome.message });
}

/** The NAME of a path like /admin/ban/NAME, validated; undefined after answering 400. */
function pathName(res: ServerResponse, raw: string | undefined): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    name = '';
  }
  const parsed = PlayerName.safeParse(name);
  if (parsed.success) return parsed.data;
  sendJson(res, 400, { error: 'bad_request', message: `name: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  return undefined;
}

export function startAdminApi(opts: AdminApiOptions): AdminApi {
  const { game, log } = opts;
  const token = loadAdminToken(opts.dataDir, opts.env ?? process.env, log);
  const throttle = opts.throttle ?? new FailureThrottle();
  const rate = new EventRate(() => {
    let n = 0;
    for (const count of game.bus.publishedCounts().values()) n += count;
    return n;
  });
  let waiting = 0;

  const endpoints: Endpoint[] = [
    {
      method: 'GET',
      path: /^\/admin\/status$/,
      run: ({ res }) => {
        const mem = process.memoryUsage();
        const status: StatusAnswer = {
          uptime_s: Math.floor((Date.now() - game.startedAt) / 1000),
          players_online: game.presence.size,
          connections: opts.connections(),
          memory: { rss_bytes: mem.rss, heap_used_bytes: mem.heapUsed, heap_total_bytes: mem.heapTotal },
          events_per_second: rate.perSecond(),
          closing: game.closing,
          shutdown_in_s: shutdownIn(game),
          last_reload: game.lastReload,
        };
        sendJson(res, 200, status);
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/players$/,
      run: ({ res }) => {
        const players: PlayersAnswer['players'] = onlinePlayers(game).map((p) => ({
          name: p.name,
          role: p.role,
          room_id: p.roomId,
          room_name: p.roomName,
          door: p.door,
          address: p.address,
          status: p.status,
          idle_s: p.idleS,
          online_s: p.onlineS,
        }));
        sendJson(res, 200, { players } satisfies PlayersAnswer);
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/kick$/,
      run: async ({ req, res, by }) => {
        const body = await readBody(req, res, KickBody);
        if (body) answer(res, kickPlayer(game, body.name, by, body.reason || undefined));
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/broadcast$/,
      run: async ({ req, res, by }) => {
        const body = await readBody(req, res, BroadcastBody);
        if (body) answer(res, broadcast(game, body.message, by));
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/ban$/,
      run: async ({ req, res, by }) => {
        const body = await readBody(req, res, BanBody);
        if (body) answer(res, banAccount(game, body.name, by, body.reason || undefined));
      },
    },
    {
      method: 'DELETE',
      path: /^\/admin\/ban\/([^/]+)$/,
      run: ({ res, by, params }) => {
        const name = pathName(res, params[0]);
        if (name) answer(res, unbanAccount(game, name, by));
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/accounts$/,
      run: ({ res }) => {
        const accounts: AccountsAnswer['accounts'] = game.store.listAccounts().map((a) => ({
          name: a.displayName,
          role: a.role,
          created_at: a.createdAt,
          last_login_at: a.lastLoginAt,
          banned: a.bannedAt !== null,
          ban_reason: a.bannedAt !== null ? a.banReason || null : null,
          online: game.session(a.id) !== undefined,
        }));
        sendJson(res, 200, { accounts } satisfies AccountsAnswer);
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/accounts$/,
      run: async ({ req, res, by }) => {
        const body = await readBody(req, res, CreateAccountBody);
        if (body) answer(res, await createAccount(game, body, by), 201);
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/accounts\/([^/]+)\/password$/,
      run: async ({ req, res, by, params }) => {
        const name = pathName(res, params[0]);
        if (!name) return;
        const body = await readBody(req, res, PasswordBody);
        if (body) answer(res, await setPassword(game, name, body.password, by));
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/accounts\/([^/]+)\/role$/,
      run: async ({ req, res, by, params }) => {
        const name = pathName(res, params[0]);
        if (!name) return;
        const body = await readBody(req, res, RoleBody);
        if (body) answer(res, setRole(game, name, body.role, by));
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/reload$/,
      // No body: the world file the server was started with is read again.
      run: ({ res, by }) => answer(res, reloadWorld(game, by)),
    },
    {
      method: 'POST',
      path: /^\/admin\/shutdown$/,
      run: async ({ req, res, by }) => {
        const body = await readBody(req, res, ShutdownBody);
        if (body) answer(res, requestShutdown(game, body.grace_s ?? DEFAULT_GRACE_S, by), 202);
      },
    },
  ];

  /** True when the request carries the token; otherwise it has been answered (401 or 429). */
  async function authorize(req: IncomingMessage, res: ServerResponse, addr: string, path: string): Promise<boolean> {
    const wait = throttle.delayFor(addr);
    if (wait > 0) {
      if (waiting >= MAX_WAITING) {
        res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
        sendJson(res, 429, { error: 'too_many_attempts', message: 'too many failed attempts; try again later' });
        return false;
      }
      waiting++;
      try {
        await new Promise((r) => setTimeout(r, wait));
      } finally {
        waiting--;
      }
    }
    if (tokenMatches(token.value, bearerToken(req.headers.authorization))) {
      throttle.succeed(addr);
      return true;
    }
    throttle.fail(addr);
    log.warn({ addr, method: req.method, path, had_token: req.headers.authorization !== undefined }, 'admin: missing or wrong token');
    res.setHeader('www-authenticate', 'Bearer');
    sendJson(res, 401, { error: 'unauthorized', message: 'missing or wrong admin token' });
    return false;
  }

  const route: Route = async (req, res, url) => {
    const path = url.pathname;
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    const addr = req.socket.remoteAddress ?? 'unknown';
    if (!(await authorize(req, res, addr, path))) return true;
    const matching = endpoints.filter((e) => e.path.test(path));
    const endpoint = matching.find((e) => e.method === req.method);
    if (!endpoint) {
      if (matching.length) {
        res.setHeader('allow', matching.map((e) => e.method).join(', '));
        sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed on ${path}` });
      } else {
        sendJson(res, 404, { error: 'not_found', message: `no such admin call: ${path}` });
      }
      return true;
    }
    log.debug({ addr, method: req.method, path }, 'admin request');
    await endpoint.run({ req, res, by: `api@${addr}`, params: endpoint.path.exec(path)!.slice(1) });
    return true;
  };

  return { route, token, close: () => rate.stop() };
}
