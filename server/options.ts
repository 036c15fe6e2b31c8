// The server's options: PROTOCOL.md section 1. Each has a command-line flag (cli/mythos.ts) and an
// environment variable, read here through one schema so that a bad value is an error at start,
// not a silent NaN (a non-numeric heartbeat quietly meant "no heartbeat").
import { z } from 'zod';
import { DEFAULT_MAX_CONNECTIONS_PER_ADDRESS } from './core/address-cap.js';
import { BUNDLED_WORLD } from './world/load.js';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().min(0);

export const ServerOptions = z.object({
  host: z.string().min(1),
  telnetPort: port,
  wsPort: port,
  /** The SQLite file and the admin token live here. */
  dataDir: z.string().min(1),
  world: z.string().min(1),
  /** How long a dropped player stays link-dead before leaving the game. */
  resumeWindowS: seconds,
  /** Seconds between WebSocket heartbeat pings (0: off); a peer that misses two is dropped. */
  heartbeatS: seconds,
  /** How long a connection may sit at the login prompts. */
  loginTimeoutS: seconds.positive(),
  /** SIGTERM's countdown before the server stops (0: at once). */
  shutdownGraceS: seconds.max(3600),
  /** Open connections one address may hold across both doors (0: no cap). */
  maxConnectionsPerAddress: z.coerce.number().int().min(0),
  /** MiB of events kept for WebSocket resumes (replay-log.ts), shared by every session. */
  replayLogMb: z.coerce.number().min(1).max(1024),
});
export type ServerOptions = z.infer<typeof ServerOptions>;

const ENV: Record<keyof ServerOptions, [string, string | number]> = {
  host: ['MYTHOS_HOST', '127.0.0.1'],
  telnetPort: ['MYTHOS_TELNET_PORT', 4000],
  wsPort: ['MYTHOS_WS_PORT', 4001],
  dataDir: ['MYTHOS_DATA_DIR', './data'],
  world: ['MYTHOS_WORLD', BUNDLED_WORLD],
  resumeWindowS: ['MYTHOS_RESUME_WINDOW_S', 60],
  heartbeatS: ['MYTHOS_HEARTBEAT_S', 30],
  loginTimeoutS: ['MYTHOS_LOGIN_TIMEOUT_S', 120],
  shutdownGraceS: ['MYTHOS_SHUTDOWN_GRACE_S', 5],
  maxConnectionsPerAddress: ['MYTHOS_MAX_CONNECTIONS_PER_ADDRESS', DEFAULT_MAX_CONNECTIONS_PER_ADDRESS],
  replayLogMb: ['MYTHOS_REPLAY_LOG_MB', 8],
};

/** The options from the environment (or their defaults). Throws one message naming every bad variable. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const raw: Record<string, string | number> = {};
  for (const [key, [name, fallback]] of Object.entries(ENV)) raw[key] = env[name] || fallback;
  const parsed = ServerOptions.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const key = String(i.path[0]) as keyof ServerOptions;
    return `${ENV[key][0]}=${JSON.stringify(env[ENV[key][0]])}: ${i.message}`;
  });
  throw new Error(`bad environment: ${problems.join('; ')}`);
}
