// The `mythos` command: the TUI (default), `serve`, and `admin ...`.
import { Command } from 'commander';
import { adminCommand } from './admin/index.js';
import { optionsFromEnv } from '../server/main.js';
import { port, seconds } from './options.js';
import { serve } from './serve.js';
import { addTuiAction } from './tui/command.js';

const program = new Command();
program.name('mythos').description('MythosMUD: a multiplayer text game set in Lovecraft\'s Arkham');
// Top-level options only before a subcommand, so `mythos admin who --url ...` reaches `admin`.
program.enablePositionalOptions();

const env = optionsFromEnv();
program
  .command('serve')
  .description('run the game server (telnet and WebSocket doors)')
  .option('--host <host>', 'address to listen on (MYTHOS_HOST)', env.host)
  .option('--telnet-port <port>', 'telnet port, 0 for any free port (MYTHOS_TELNET_PORT)', port, env.telnetPort)
  .option('--ws-port <port>', 'HTTP + WebSocket port, 0 for any free port (MYTHOS_WS_PORT)', port, env.wsPort)
  .option('--data-dir <dir>', 'where the SQLite file and the admin token live (MYTHOS_DATA_DIR)', env.dataDir)
  .option('--world <file>', 'world file (MYTHOS_WORLD); default: the bundled Arkham', env.world)
  .option('--resume-window <seconds>', 'how long a dropped player stays link-dead (MYTHOS_RESUME_WINDOW_S)', seconds, env.resumeWindowS)
  .option('--heartbeat <seconds>', 'WebSocket ping interval, 0 for none; two missed pongs drop the peer (MYTHOS_HEARTBEAT_S)', seconds, env.heartbeatS)
  .action(async (o: { host: string; telnetPort: number; wsPort: number; dataDir: string; world: string; resumeWindow: number; heartbeat: number }) => {
    await serve({ host: o.host, telnetPort: o.telnetPort, wsPort: o.wsPort, dataDir: o.dataDir, world: o.world, resumeWindowS: o.resumeWindow, heartbeatS: o.heartbeat });
  });

program.addCommand(adminCommand());

// No subcommand: the TUI (cli/tui/command.ts).
addTuiAction(program);

await program.parseAsync(process.argv);
