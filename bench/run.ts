// `npm run bench [-- options]`: starts the real server and a bare fanout server as child
// processes, drives them from a separate load-generator process, prints the tables and the target
// verdicts, and writes the JSON to bench/results/. `npm run bench -- --help` lists the options.
import { Command, InvalidArgumentError } from 'commander';
import { join, resolve } from 'node:path';
import { runBench } from './orchestrator.js';
import { fullOptions, quickOptions, SCENARIOS, type BenchOptions, type ScenarioName } from './options.js';
import type { ProcessGroup } from './processes.js';
import { ROOT } from './processes.js';
import { renderReport, writeJson } from './report.js';
import { checkTargets } from './targets.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 1000000');
  return n;
}

function countOrZero(value: string): number {
  return value === '0' ? 0 : count(value);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

function list(value: string): number[] {
  const sizes = value.split(',').map((s) => count(s.trim()));
  if (sizes.some((n) => n < 2)) throw new InvalidArgumentError('a crowd needs at least 2 players');
  return sizes;
}

function scenarios(value: string): ScenarioName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase());
  for (const n of names) {
    if (!(SCENARIOS as readonly string[]).includes(n)) throw new InvalidArgumentError(`unknown scenario "${n}"; choose from ${SCENARIOS.join(', ')}`);
  }
  return names as ScenarioName[];
}

interface Cli {
  scenario?: ScenarioName[];
  quick?: boolean;
  telnetOnly?: boolean;
  wsOnly?: boolean;
  sizes?: number[];
  says?: number;
  sayInterval?: number;
  enters?: number;
  travelPlayers?: number;
  travelDuration?: number;
  travelInterval?: number;
  travelRooms?: number;
  stormRegistrations?: number;
  stormConcurrency?: number;
  stormTalkers?: number;
  stormSayRate?: number;
  stormBefore?: number;
  churnCycles?: number;
  churnConcurrency?: number;
  churnWarmup?: number;
  memoryPlayers?: number;
  reloadPlayers?: number;
  reloadDuration?: number;
  reloadEvery?: number;
  idle?: number;
  loginConcurrency?: number;
  wait?: number;
  results: string;
  json: boolean;
  serverLogLevel?: string;
  cpuProf?: string;
}

const program = new Command()
  .name('npm run bench --')
  .description(
    'Measure MythosMUD under load: the real server (port 0, temporary data dir) and a bare node:net fanout server, driven by a separate load-generator process over 127.0.0.1. Without options: every scenario at full size (about 20 minutes on 2 cores).',
  )
  .option('-s, --scenario <list>', `scenarios to run, comma-separated: ${SCENARIOS.join(',')} (default: all)`, scenarios)
  .option('--quick', 'smaller sizes for a run of a few minutes (explicit size options still win)')
  .option('--telnet-only', 'only telnet clients (default: half telnet, half WebSocket)')
  .option('--ws-only', 'only WebSocket clients')
  .option('--sizes <list>', 'crowd: players in the room, comma-separated (default 10,100,500,1000)', list)
  .option('--says <n>', 'crowd: says per size (default 50)', count)
  .option('--say-interval <ms>', 'crowd: 0 = each say after the previous reached everyone (default); N = one say every N ms, overlapping', countOrZero)
  .option('--enters <n>', 'crowd: players who step out and back in, for the notice times (default 10; 0 = none)', countOrZero)
  .option('--travel-players <n>', 'travel: players (default 1000)', count)
  .option('--travel-duration <s>', 'travel: seconds of moves (default 60)', seconds)
  .option('--travel-interval <s>', 'travel: mean seconds between moves of one player (default 2)', seconds)
  .option('--travel-rooms <n>', 'travel: only the N rooms nearest the start (default 0 = the whole world)', countOrZero)
  .option('--storm-registrations <n>', 'login storm: registrations (default 1000)', count)
  .option('--storm-concurrency <n>', 'login storm: registrations at a time (default 50)', count)
  .option('--storm-talkers <n>', 'login storm: players in the game talking meanwhile (default 100)', count)
  .option('--storm-say-rate <n>', 'login storm: says per second among the talkers (default 10)', count)
  .option('--storm-before <s>', 'login storm: seconds of talk measured before the storm (default 10)', seconds)
  .option('--churn-cycles <n>', 'churn: connect/login/quit cycles (default 10000)', count)
  .option('--churn-concurrency <n>', 'churn: cycles at a time (default 20)', count)
  .option('--churn-warmup <n>', 'churn: cycles before the "before" sample (default 200)', countOrZero)
  .option('--memory-players <n>', 'memory: idle players (default 1000)', count)
  .option('--reload-players <n>', 'reload: players online, half of them walking (default 500)', count)
  .option('--reload-duration <s>', 'reload: seconds of walking (default 60)', seconds)
  .option('--reload-every <s>', 'reload: seconds between two reloads (default 10)', seconds)
  .option('--idle <s>', 'memory and churn: idle seconds before each memory sample (default 60)', countOrZero)
  .option('--login-concurrency <n>', 'logins at a time while a scenario fills the game (default 50)', count)
  .option('--wait <ms>', 'how long an expected line may take before it counts as missed (default 10000)', count)
  .option('--results <dir>', 'where the JSON report goes', join(ROOT, 'bench', 'results'))
  .option('--no-json', 'do not write the JSON report')
  .option('--server-log-level <level>', "the server's MYTHOS_LOG_LEVEL (default info, as in production)")
  .option('--cpu-prof <dir>', 'write V8 CPU profiles (node --cpu-prof) of the servers and the load generator into DIR/SCENARIO-ROLE/')
  .showHelpAfterError();

program.parse(process.argv);
const cli = program.opts<Cli>();
if (cli.telnetOnly && cli.wsOnly) program.error('choose at most one of --telnet-only and --ws-only');

function options(c: Cli): BenchOptions {
  const o = c.quick ? quickOptions() : fullOptions();
  const given = Object.keys(c).some((k) => !['quick', 'results', 'json', 'scenario', 'telnetOnly', 'wsOnly', 'serverLogLevel', 'cpuProf'].includes(k));
  if (given) o.preset = c.quick ? 'quick-custom' : 'custom';
  if (c.scenario) o.scenarios = c.scenario;
  if (c.telnetOnly) o.doors = 'telnet';
  if (c.wsOnly) o.doors = 'ws';
  if (c.sizes) o.crowd.sizes = c.sizes;
  if (c.says !== undefined) o.crowd.says = c.says;
  if (c.sayInterval !== undefined) o.crowd.sayIntervalMs = c.sayInterval;
  if (c.enters !== undefined) o.crowd.enters = c.enters;
  if (c.travelPlayers !== undefined) o.travel.players = c.travelPlayers;
  if (c.travelDuration !== undefined) o.travel.durationS = c.travelDuration;
  if (c.travelInterval !== undefined) o.travel.meanIntervalS = c.travelInterval;
  if (c.travelRooms !== undefined) o.travel.rooms = c.travelRooms;
  if (c.stormRegistrations !== undefined) o.storm.registrations = c.stormRegistrations;
  if (c.stormConcurrency !== undefined) o.storm.concurrency = c.stormConcurrency;
  if (c.stormTalkers !== undefined) o.storm.sayers = c.stormTalkers;
  if (c.stormSayRate !== undefined) o.storm.sayRate = c.stormSayRate;
  if (c.stormBefore !== undefined) o.storm.beforeS = c.stormBefore;
  if (c.churnCycles !== undefined) o.churn.cycles = c.churnCycles;
  if (c.churnConcurrency !== undefined) o.churn.concurrency = c.churnConcurrency;
  if (c.churnWarmup !== undefined) o.churn.warmup = c.churnWarmup;
  if (c.memoryPlayers !== undefined) o.memory.players = c.memoryPlayers;
  if (c.reloadPlayers !== undefined) o.reload.players = c.reloadPlayers;
  if (c.reloadDuration !== undefined) o.reload.durationS = c.reloadDuration;
  if (c.reloadEvery !== undefined) o.reload.everyS = c.reloadEvery;
  if (c.idle !== undefined) o.memory.idleS = o.churn.idleS = c.idle;
  if (c.loginConcurrency !== undefined) o.loginConcurrency = c.loginConcurrency;
  if (c.wait !== undefined) o.waitMs = c.wait;
  if (c.serverLogLevel) o.serverLogLevel = c.serverLogLevel;
  if (c.cpuProf) o.cpuProfDir = resolve(c.cpuProf);
  o.resultsDir = c.json ? c.results : null;
  return o;
}

const opts = options(cli);
let current: ProcessGroup | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  process.stderr.write(`\n${signal}: stopping the servers and the load generator\n`);
  current?.killAllNow();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`;
const report = await runBench(opts, {
  log: (text) => process.stderr.write(`${stamp()} ${text}\n`),
  current: (g) => (current = g),
});
const targets = checkTargets(report);
process.stdout.write(`\n${renderReport(report, targets)}\n`);
if (opts.resultsDir) process.stdout.write(`\nJSON: ${writeJson(report, opts.resultsDir, targets)}\n`);
process.exitCode = report.runs.every((r) => r.ok) ? 0 : 1;
