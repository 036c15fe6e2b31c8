// `mythos admin ...`: the sysop's command line over the admin API (PROTOCOL.md sections 5 and 6).
// Exit 0 on success; otherwise one line on stderr and exit 1.
import { Command, InvalidArgumentError } from 'commander';
import { PlayerName, Role, problemWith } from '../../shared/protocol.js';
import { AccountsAnswer, DEFAULT_GRACE_S, MAX_GRACE_S, OkAnswer, PlayersAnswer, StatusAnswer } from '../../server/admin/schemas.js';
import { AdminClient, AdminError, DEFAULT_ADMIN_URL, resolveTarget } from './client.js';
import { formatAccounts, formatPlayers, formatStatus } from './format.js';
import { newPassword } from './password.js';

interface GlobalOptions {
  url?: string;
  token?: string;
  dataDir?: string;
  json?: boolean;
}

function nameArg(value: string): string {
  const problem = problemWith(PlayerName, value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

function roleArg(value: string): 'player' | 'admin' {
  const parsed = Role.safeParse(value.toLowerCase());
  if (!parsed.success) throw new InvalidArgumentError('a role is "player" or "admin"');
  return parsed.data;
}

function graceArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_GRACE_S) throw new InvalidArgumentError(`whole seconds from 0 to ${MAX_GRACE_S}`);
  return n;
}

/**
 * The options that say where and how: accepted on `admin` itself and on every leaf command, so
 * both `mythos admin --json who` and `mythos admin who --json` work. (`mythos` enables positional
 * options so that a top-level option of the TUI with the same name cannot swallow these.)
 */
function targetOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', `the server's HTTP address (MYTHOS_ADMIN_URL; default: where the server in --data-dir listens, else ${DEFAULT_ADMIN_URL})`)
    .option('--token <token>', 'the admin token (MYTHOS_ADMIN_TOKEN)')
    .option('--data-dir <dir>', 'the server\'s data directory: its admin.token and server.json (default: MYTHOS_DATA_DIR or ./data)')
    .option('--json', 'print the raw JSON answer, for scripts');
}

/** The options of the leaf command over those of its parents, up to and including `admin`. */
function targetOpts(leaf: Command): GlobalOptions {
  let merged: GlobalOptions = {};
  for (let c: Command | null = leaf; c; c = c.parent) {
    merged = { ...(c.opts() as GlobalOptions), ...merged };
    if (c.name() === 'admin') break;
  }
  return merged;
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/**
 * Wraps an action: builds the client from the global options, prints the raw JSON with --json,
 * and turns any failure into one line and exit code 1.
 */
function action<A extends unknown[]>(
  run: (client: AdminClient, opts: GlobalOptions, ...args: A) => Promise<{ raw: unknown; text: string }>,
) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const opts = targetOpts(cmd);
    try {
      const client = new AdminClient(resolveTarget(opts));
      const out = await run(client, opts, ...(args.slice(0, -1) as A));
      print(opts.json ? JSON.stringify(out.raw, null, 2) : out.text);
    } catch (err) {
      const message = err instanceof AdminError ? err.message : `unexpected error: ${(err as Error).message}`;
      process.stderr.write(`mythos admin: ${message}\n`);
      process.exitCode = 1;
    }
  };
}

/** An action answered with { ok, message }: the message is the human-readable output. */
async function act(client: AdminClient, method: 'POST' | 'DELETE', path: string, body?: unknown) {
  const { raw, value } = await client.fetchAs(OkAnswer, method, path, body);
  return { raw, text: value.message };
}

const enc = encodeURIComponent;

export function adminCommand(): Command {
  const admin = targetOptions(new Command('admin')).description(
    'sysop tools: who is on, kick, ban, broadcast, accounts, reload, shutdown (over the admin API)',
  );
  const leaf = (parent: Command, name: string) => targetOptions(parent.command(name));

  leaf(admin, 'status')
    .description('uptime, players online, connections per door, memory, events per second')
    .action(
      action(async (client) => {
        const { raw, value } = await client.fetchAs(StatusAnswer, 'GET', '/admin/status');
        return { raw, text: formatStatus(value) };
      }),
    );

  leaf(admin, 'who')
    .description('who is online: name, room, door, address, status, idle time')
    .action(
      action(async (client) => {
        const { raw, value } = await client.fetchAs(PlayersAnswer, 'GET', '/admin/players');
        return { raw, text: formatPlayers(value.players) };
      }),
    );

  leaf(admin, 'kick')
    .description('disconnect a player (their character is saved)')
    .argument('<name>', 'the player', nameArg)
    .option('--reason <reason>', 'told to the player and logged')
    .action(
      action(async (client, _g, name: string, o: { reason?: string }) =>
        act(client, 'POST', '/admin/kick', { name, ...(o.reason ? { reason: o.reason } : {}) }),
      ),
    );

  leaf(admin, 'broadcast')
    .description('send a message to everyone in the game')
    .argument('<message...>', 'the message (quote it, or give several words)')
    .action(action(async (client, _g, words: string[]) => act(client, 'POST', '/admin/broadcast', { message: words.join(' ') })));

  leaf(admin, 'ban')
    .description('ban an account from logging in (and kick the player if online)')
    .argument('<name>', 'the player', nameArg)
    .option('--reason <reason>', 'told to the player and logged')
    .action(
      action(async (client, _g, name: string, o: { reason?: string }) =>
        act(client, 'POST', '/admin/ban', { name, ...(o.reason ? { reason: o.reason } : {}) }),
      ),
    );

  leaf(admin, 'unban')
    .description('lift a ban')
    .argument('<name>', 'the player', nameArg)
    .action(action(async (client, _g, name: string) => act(client, 'DELETE', `/admin/ban/${enc(name)}`)));

  const accounts = admin.command('accounts').description('list, create, reset passwords, change roles');

  leaf(accounts, 'list')
    .description('every account: role, online, created, last login, ban')
    .action(
      action(async (client) => {
        const { raw, value } = await client.fetchAs(AccountsAnswer, 'GET', '/admin/accounts');
        return { raw, text: formatAccounts(value.accounts) };
      }),
    );

  leaf(accounts, 'create')
    .description('create an account (the password is asked for, without echo)')
    .argument('<name>', 'the name, 2-20 letters', nameArg)
    .option('--role <role>', 'player or admin', roleArg, 'player')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      action(async (client, _g, name: string, o: { role: 'player' | 'admin'; passwordStdin?: boolean }) => {
        const password = await newPassword(o.passwordStdin === true);
        return act(client, 'POST', '/admin/accounts', { name, password, role: o.role });
      }),
    );

  leaf(accounts, 'passwd')
    .description("reset an account's password (asked for, without echo)")
    .argument('<name>', 'the player', nameArg)
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      action(async (client, _g, name: string, o: { passwordStdin?: boolean }) => {
        const password = await newPassword(o.passwordStdin === true);
        return act(client, 'POST', `/admin/accounts/${enc(name)}/password`, { password });
      }),
    );

  leaf(accounts, 'role')
    .description('make an account a player or an admin')
    .argument('<name>', 'the player', nameArg)
    .argument('<role>', 'player or admin', roleArg)
    .action(action(async (client, _g, name: string, role: string) => act(client, 'POST', `/admin/accounts/${enc(name)}/role`, { role })));

  leaf(admin, 'reload')
    .description('read the world file again and put it in place; nobody is disconnected')
    .action(action(async (client) => act(client, 'POST', '/admin/reload')));

  leaf(admin, 'shutdown')
    .description('warn everyone, save every character and stop the server')
    .option('--grace <seconds>', `seconds of warning before the stop (default ${DEFAULT_GRACE_S})`, graceArg)
    .action(
      action(async (client, _g, o: { grace?: number }) =>
        act(client, 'POST', '/admin/shutdown', o.grace === undefined ? {} : { grace_s: o.grace }),
      ),
    );

  return admin;
}
