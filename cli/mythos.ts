// The `mythos` command: the TUI (default), `serve`, and `admin ...`.
import { Command } from 'commander';
import { adminCommand } from './admin/index.js';
import { count, port, seconds } from './options.js';
import { addTuiAction } from './tui/command.js';

interface ServeFlags {
  host?: string;
  telnetPort?: number;
  wsPort?: number;
  dataDir?: string;
  world?: string;
  resumeWindow?: number;
  heartbeat?: number;
  loginTimeout?: number;
  shutdownGrace?: number;
  maxConnectionsPerAddress?: number;
  replayLogMb?: number;
}

const program = new Command();
program.name('mythos').description('MythosMUD: a multiplayer text game set in Lovecraft\'s Arkham');
// Top-level options only before a subcommand, so `mythos admin who --url ...` reaches `admin`.
program.enablePositionalOptions();

program
  .command('serve')
  .description('run the game server (telnet and WebSocket doors)')
  .option('--host <host>', 'address to listen on (MYTHOS_HOST, default 127.0.0.1)')
  .option('--telnet-port <port>', 'telnet port, 0 for any free port (MYTHOS_TELNET_PORT, default 4000)', port)
  .option('--ws-port <port>', 'HTTP + WebSocket port, 0 for any free port (MYTHOS_WS_PORT, default 4001)', port)
  .option('--data-dir <dir>', 'where the SQLite file and the admin token live (MYTHOS_DATA_DIR, default ./data)')
  .option('--world <file>', 'world file (MYTHOS_WORLD, default the bundled Arkham)')
  .option('--resume-window <seconds>', 'how long a dropped player stays link-dead (MYTHOS_RESUME_WINDOW_S, default 60)', seconds)
  .option('--heartbeat <seconds>', 'WebSocket ping interval, 0 for none; two missed pongs drop the peer (MYTHOS_HEARTBEAT_S, default 30)', seconds)
  .option('--login-timeout <seconds>', 'how long a connection may sit at the login prompts (MYTHOS_LOGIN_TIMEOUT_S, default 120)', seconds)
  .option('--shutdown-grace <seconds>', 'countdown to the players on SIGTERM before stopping; 0 stops at once (MYTHOS_SHUTDOWN_GRACE_S, default 5)', seconds)
  .option('--max-connections-per-address <n>', 'open connections one address may hold, both doors together; 0 for no cap (MYTHOS_MAX_CONNECTIONS_PER_ADDRESS, default 20)', count)
  .option('--replay-log-mb <mib>', 'MiB of recent events kept for WebSocket clients to resume from (MYTHOS_REPLAY_LOG_MB, default 8)', count)
  .action(async (flags: ServeFlags) => {
    // Loaded here, not at the top: `mythos admin` and the TUI need none of the server.
    const { serve } = await import('./serve.js');
    const { optionsFromEnv } = await import('../server/options.js');
    let env;
    try {
      env = optionsFromEnv();
    } catch (err) {
      process.stderr.write(`mythos: ${(err as Error).message}\n`);
      process.exit(2);
    }
    const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
    const { resumeWindow, heartbeat, loginTimeout, shutdownGrace, ...rest } = given as ServeFlags;
    await serve({
      ...env,
      ...rest,
      ...(resumeWindow === undefined ? {} : { resumeWindowS: resumeWindow }),
      ...(heartbeat === undefined ? {} : { heartbeatS: heartbeat }),
      ...(loginTimeout === undefined ? {} : { loginTimeoutS: loginTimeout }),
      ...(shutdownGrace === undefined ? {} : { shutdownGraceS: shutdownGrace }),
    });
  });

program.addCommand(adminCommand());

program
  .command('world')
  .description('world files')
  .command('check')
  .argument('[file]', 'the world file (default: MYTHOS_WORLD, else the bundled Arkham)')
  .description('check a world file as the server and `mythos admin reload` do; exit 1 with every problem found')
  .action(async (file: string | undefined) => {
    const { loadWorld, BUNDLED_WORLD, WorldError } = await import('../server/world/load.js');
    const path = file ?? (process.env.MYTHOS_WORLD || BUNDLED_WORLD);
    try {
      const world = loadWorld(path);
      process.stdout.write(`${path}: ${world.name}, ${world.rooms.size} rooms in ${world.areas.size} areas, start ${world.start.id}: OK\n`);
    } catch (err) {
      process.stderr.write(`mythos world check: ${err instanceof WorldError ? err.message : (err as Error).message}\n`);
      process.exitCode = 1;
    }
  });

// No subcommand: the TUI (cli/tui/command.ts).
addTuiAction(program);

await program.parseAsync(process.argv);
