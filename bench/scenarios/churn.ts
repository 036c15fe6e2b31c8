// churn: connect / log in / quit, many times over, at a bounded concurrency. The server's RSS (after
// a GC), event-bus subscribers, timers and handles are sampled before and after: none may grow.
// A warm-up of cycles runs before the first sample so that one-off allocations (compiled code,
// SQLite's cache, the hash's buffers) are not mistaken for growth.
import { benchName, type BenchName } from '../names.js';
import type { ChurnConfig } from '../options.js';
import { Samples, type LatencySummary } from '../stats.js';
import { doorFor, idleSample, loginPlayer, pool, sleep, timeLeft, type ProbeSample, type ScenarioContext } from './common.js';

export interface ChurnResult {
  doors: string;
  cycles: number;
  concurrency: number;
  warmup: number;
  ok: number;
  failed: number;
  failures: string[];
  seconds: number;
  cycleTime: LatencySummary;
  before: ProbeSample;
  after: ProbeSample;
  rssGrowthPercent: number;
}


export async function churn(ctx: ScenarioContext, cfg: ChurnConfig): Promise<ChurnResult> {
  // Two accounts per worker, used in turn: two logins of one account never overlap.
  const accounts: BenchName[] = Array.from({ length: cfg.concurrency * 2 }, (_, i) => benchName('ch', i));
  ctx.log(`churn: registering ${accounts.length} accounts`);
  const regFailures: string[] = [];
  await pool(accounts.length, cfg.concurrency, ctx.deadline, async (i) => {
    try {
      await cycle(ctx, accounts[i]!, 'register', doorFor(ctx.doors, i));
    } catch (err) {
      regFailures.push((err as Error).message);
    }
  });
  if (regFailures.length) throw new Error(`churn: ${regFailures.length} accounts could not be registered: ${regFailures[0]}`);

  const run = async (count: number, times: Samples | null, failures: string[]) => {
    let ok = 0;
    const perWorker = new Array<number>(cfg.concurrency).fill(0);
    let next = 0;
    await Promise.all(
      Array.from({ length: cfg.concurrency }, async (_, w) => {
        while (next < count && timeLeft(ctx) > 0) {
          const i = next++;
          const account = accounts[w + cfg.concurrency * (perWorker[w]! % 2)]!;
          perWorker[w]!++;
          const start = performance.now();
          try {
            await cycle(ctx, account, 'login', doorFor(ctx.doors, i));
            times?.add(performance.now() - start);
            ok++;
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }),
    );
    return ok;
  };

  ctx.log(`churn: ${cfg.warmup} warm-up cycles`);
  const warmFailures: string[] = [];
  await run(cfg.warmup, null, warmFailures);
  const before = await quiet(ctx, cfg.idleS);

  ctx.log(`churn: ${cfg.cycles} cycles, ${cfg.concurrency} at a time`);
  const failures: string[] = [];
  const times = new Samples();
  const t0 = performance.now();
  const ok = await run(cfg.cycles, times, failures);
  const seconds = (performance.now() - t0) / 1000;
  const after = await quiet(ctx, cfg.idleS);
  return {
    doors: ctx.doors,
    cycles: cfg.cycles,
    concurrency: cfg.concurrency,
    warmup: cfg.warmup,
    ok,
    failed: cfg.cycles - ok,
    failures: [...warmFailures, ...failures].slice(0, 5),
    seconds,
    cycleTime: times.summary(),
    before,
    after,
    rssGrowthPercent: ((after.rss - before.rss) / before.rss) * 100,
  };
}

/** One connect / log in / quit; resolves once the server has closed the connection. */
async function cycle(ctx: ScenarioContext, name: BenchName, mode: 'register' | 'login', door: 'telnet' | 'ws'): Promise<void> {
  const p = await loginPlayer(ctx, name, mode, door);
  try {
    p.command('quit');
    if (!(await p.waitClosed(ctx.waitMs))) throw new Error(`${name.shown}: the server did not close the connection after quit`);
  } finally {
    p.close();
  }
}

/**
 * A sample once every session has left and every socket is closed (the one socket left is the
 * probe's own HTTP request), after `idleS` seconds of quiet and a GC (see idleSample).
 */
async function quiet(ctx: ScenarioContext, idleS: number): Promise<ProbeSample> {
  const deadline = performance.now() + Math.min(30_000, timeLeft(ctx));
  let s = await ctx.probe('server');
  while (((s.sessions ?? 0) > 0 || (s.resources?.TCPSocketWrap ?? 0) > 1) && performance.now() < deadline) {
    await sleep(100);
    s = await ctx.probe('server');
  }
  return idleSample(ctx, 'server', idleS);
}
