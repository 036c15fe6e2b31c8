// storm: registrations at a bounded concurrency while players already in the game keep talking.
// The talkers stand one room away from the start room, so the newcomers (who appear in the start
// room, then quit) never change the size of the room being measured: the difference between the
// fanout before and during the storm is what the registrations cost the players in the game.
import type { BenchPlayer } from '../clients/player.js';
import { benchName } from '../names.js';
import type { StormConfig } from '../options.js';
import { Samples, type LatencySummary } from '../stats.js';
import { WorldMap } from '../world.js';
import {
  closeAll,
  doorFor,
  FanoutTracker,
  loginMany,
  loginPlayer,
  pool,
  randomToken,
  settle,
  sleep,
  timeLeft,
  type FanoutSummary,
  type ScenarioContext,
} from './common.js';

export interface StormResult {
  doors: string;
  registrations: number;
  concurrency: number;
  ok: number;
  failed: number;
  /** The first few failure reasons. */
  failures: string[];
  totalSeconds: number;
  /** Per registration: connect to standing in the game. */
  registrationTime: LatencySummary;
  sayers: number;
  sayRate: number;
  before: FanoutSummary;
  during: FanoutSummary;
}

export async function storm(ctx: ScenarioContext, cfg: StormConfig): Promise<StormResult> {
  const map = new WorldMap();
  const away = map.roundTrip();
  ctx.log(`storm: ${cfg.sayers} players in the game`);
  const names = Array.from({ length: cfg.sayers }, (_, i) => benchName('ta', i));
  const batch = await loginMany(ctx, names, 'register', (i) => doorFor(ctx.doors, i));
  if (batch.failures.length) throw new Error(`storm: ${batch.failures.length} talkers could not log in: ${batch.failures[0]}`);
  const sayers: BenchPlayer[] = batch.players;
  const newcomers = new Set<BenchPlayer>();
  try {
    // Step the talkers into a room of their own.
    let arrived = 0;
    for (const p of sayers) p.onEvent = (e) => void (e.kind === 'room' && arrived++);
    for (const p of sayers) p.command(away.out);
    const deadline = performance.now() + ctx.waitMs * 2;
    while (arrived < sayers.length && performance.now() < deadline) await sleep(20);
    if (arrived < sayers.length) throw new Error(`storm: only ${arrived} of ${sayers.length} talkers reached ${away.room}`);
    await settle(sayers, 500, 30_000);

    const tracker = new FanoutTracker(
      sayers.map((p) => p.door),
      ctx.waitMs,
    );
    sayers.forEach((p, i) => {
      p.onEvent = (e) => {
        if (e.kind === 'say') tracker.heard(e.text, i, e.t);
      };
    });
    let phase = 'before';
    let talking = true;
    let k = 0;
    const sayOnce = () => {
      const speaker = k % sayers.length;
      const token = randomToken(`st${k}x`);
      k++;
      tracker.start(token, sayers[speaker]!.command(`say ${token}`), phase, [speaker]);
    };
    const talk = (async () => {
      const period = 1000 / cfg.sayRate;
      let next = performance.now();
      while (talking && timeLeft(ctx) > 0) {
        sayOnce();
        next += period;
        await sleep(next - performance.now());
      }
    })();

    await sleep(cfg.beforeS * 1000);
    ctx.log(`storm: ${cfg.registrations} registrations, ${cfg.concurrency} at a time`);
    phase = 'during';
    sayOnce(); // at least one say is measured during the storm, however short it is
    const failures: string[] = [];
    const times = new Samples();
    let ok = 0;
    const t0 = performance.now();
    await pool(cfg.registrations, cfg.concurrency, ctx.deadline, async (i) => {
      const start = performance.now();
      try {
        const p = await loginPlayer(ctx, benchName('sn', i), 'register', doorFor(ctx.doors, i));
        newcomers.add(p);
        times.add(performance.now() - start);
        ok++;
        p.command('quit');
        await p.waitClosed(ctx.waitMs);
        p.close();
        newcomers.delete(p);
      } catch (err) {
        failures.push((err as Error).message);
      }
    });
    const totalSeconds = (performance.now() - t0) / 1000;
    talking = false;
    await talk;
    await tracker.waitFor(tracker.pendingRecords(), ctx.waitMs);
    return {
      doors: ctx.doors,
      registrations: cfg.registrations,
      concurrency: cfg.concurrency,
      ok,
      failed: cfg.registrations - ok,
      failures: failures.slice(0, 5),
      totalSeconds,
      registrationTime: times.summary(),
      sayers: sayers.length,
      sayRate: cfg.sayRate,
      before: tracker.summary('before'),
      during: tracker.summary('during'),
    };
  } finally {
    closeAll(sayers);
    closeAll([...newcomers]);
  }
}
