// crowd: N players in one room, says from different players; per receiver the time from the say's
// write to the line's arrival, and the server's CPU time per say. The same says go through the
// bare fanout server at the same size, in the same run, for the ratio to the physical limit.
// The room grows from one size to the next (players stay), and every size is measured only once
// all its players are logged in and the room has gone quiet.
import type { BenchPlayer } from '../clients/player.js';
import { benchName } from '../names.js';
import type { CrowdConfig } from '../options.js';
import { WorldMap } from '../world.js';
import {
  bareAccepted,
  closeAll,
  connectBare,
  cpuBetween,
  cpuMs,
  doorFor,
  FanoutTracker,
  loginMany,
  randomToken,
  settle,
  sleep,
  timeLeft,
  type FanoutSummary,
  type ScenarioContext,
} from './common.js';

/** After a say has reached everyone, a short pause before the next (sequential pacing). */
const SAY_GAP_MS = 10;

export interface SayPhase extends FanoutSummary {
  says: number;
  pacing: string;
  /** Server (or bare server) CPU ms over the say phase divided by says. */
  cpuMsPerSay: number;
  cpuSource: string;
  /** The load generator's own CPU per say: if it nears a core's worth, it is the bottleneck. */
  loadgenCpuMsPerSay: number;
  wallMs: number;
}

export interface CrowdSize {
  players: number;
  bare: SayPhase | null;
  game: SayPhase | null;
  /** Arrival and departure notices seen by everyone in the room when one player steps out and in. */
  enter: FanoutSummary | null;
  leave: FanoutSummary | null;
  loginFailures: string[];
  loginSeconds: number;
  settled: boolean;
}

export interface CrowdResult {
  doors: string;
  sizes: CrowdSize[];
}

export async function crowd(ctx: ScenarioContext, cfg: CrowdConfig): Promise<CrowdResult> {
  const sizes = [...new Set(cfg.sizes)].sort((a, b) => a - b);
  const map = new WorldMap();
  const trip = map.roundTrip();
  const game: BenchPlayer[] = [];
  const bare: BenchPlayer[] = [];
  const out: CrowdResult = { doors: ctx.doors, sizes: [] };
  try {
    for (const [sizeIndex, size] of sizes.entries()) {
      const row: CrowdSize = { players: size, bare: null, game: null, enter: null, leave: null, loginFailures: [], loginSeconds: 0, settled: true };
      out.sizes.push(row);

      const rigs: Rig[] = [];
      if (ctx.target.barePort !== null) {
        ctx.log(`crowd ${size}: ${size - bare.length} more sockets on the bare fanout server`);
        bare.push(...(await connectBare(ctx, size - bare.length, bare.length)));
        await bareAccepted(ctx, bare.length);
        await warmUp(ctx, bare);
        rigs.push({ players: bare, which: 'bare', prefix: `b${sizeIndex}` });
      }

      ctx.log(`crowd ${size}: logging in ${size - game.length} more players`);
      const first = game.length;
      const names = Array.from({ length: size - first }, (_, i) => benchName('cr', first + i));
      const batch = await loginMany(ctx, names, 'register', (i) => doorFor(ctx.doors, first + i));
      game.push(...batch.players);
      row.loginFailures = batch.failures;
      row.loginSeconds = batch.seconds;
      row.players = game.length;
      // Everyone is in; wait for the arrival notices and occupant lists to stop flowing.
      row.settled = await settle(game, 500, Math.min(60_000, timeLeft(ctx)));
      await warmUp(ctx, game);
      rigs.push({ players: game, which: 'server', prefix: `g${sizeIndex}` });

      ctx.log(`crowd ${size}: ${cfg.says} says on each server`);
      const phases = await sayPhases(ctx, rigs, cfg);
      row.bare = phases.find((p) => p.server === 'bare') ?? null;
      row.game = phases.find((p) => p.server === 'server') ?? null;
      if (cfg.enters > 0) Object.assign(row, await enterPhase(ctx, game, cfg.enters, trip));
    }
  } finally {
    closeAll(game);
    closeAll(bare);
  }
  return out;
}

/** One say that everyone must hear before measuring: proves the room is complete and warms up. */
async function warmUp(ctx: ScenarioContext, players: BenchPlayer[]): Promise<void> {
  const tracker = listen(players, Number.POSITIVE_INFINITY);
  const token = randomToken('warm');
  tracker.start(token, players[0]!.command(`say ${token}`), 'warm', [0]);
  if (!(await tracker.waitFor(tracker.pendingRecords(), ctx.waitMs))) {
    const missing = tracker.pendingRecords()[0]?.pending ?? 0;
    throw new Error(`warm-up say did not reach ${missing} of ${players.length - 1} players in ${ctx.waitMs} ms`);
  }
  await settle(players, 200, 5_000);
}

function listen(players: BenchPlayer[], waitMs: number): FanoutTracker {
  const tracker = new FanoutTracker(
    players.map((p) => p.door),
    waitMs,
  );
  players.forEach((p, i) => {
    p.onEvent = (e) => {
      if (e.kind === 'say') tracker.heard(e.text, i, e.t);
    };
  });
  return tracker;
}

interface Rig {
  players: BenchPlayer[];
  which: 'server' | 'bare';
  prefix: string;
}

/**
 * The says on each server. Sequential pacing interleaves them (a say on the bare server, one on
 * the game, ...), so both see the same background load on a shared machine; with a fixed
 * interval the servers take turns, since overlapping says on both would compete for the CPU.
 */
async function sayPhases(ctx: ScenarioContext, rigs: Rig[], cfg: CrowdConfig): Promise<Array<SayPhase & { server: 'server' | 'bare' }>> {
  const state = rigs.map((rig) => {
    const n = rig.players.length;
    return {
      rig,
      n,
      tracker: listen(rig.players, ctx.waitMs),
      // Speakers spread over the room so that, when it holds enough players, no one speaks twice.
      step: Math.max(1, Math.floor(n / cfg.says)),
      loadgenMs: 0,
      wallMs: 0,
    };
  });
  const say = (s: (typeof state)[number], k: number) => {
    const speaker = (k * s.step + Math.floor(k / s.n)) % s.n;
    const token = randomToken(`${s.rig.prefix}s${k}x`);
    return s.tracker.start(token, s.rig.players[speaker]!.command(`say ${token}`), 'say', [speaker]);
  };
  const before = [];
  for (const s of state) before.push(await ctx.probe(s.rig.which));
  if (cfg.sayIntervalMs > 0) {
    for (const s of state) {
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      for (let k = 0; k < cfg.says && timeLeft(ctx) > 0; k++) {
        say(s, k);
        await sleep(w0 + (k + 1) * cfg.sayIntervalMs - performance.now());
      }
      await s.tracker.waitFor(s.tracker.pendingRecords(), ctx.waitMs);
      s.wallMs = performance.now() - w0;
      s.loadgenMs = cpuMs(process.cpuUsage(cpu0));
    }
  } else {
    for (let k = 0; k < cfg.says && timeLeft(ctx) > 0; k++) {
      for (const s of state) {
        const cpu0 = process.cpuUsage();
        const w0 = performance.now();
        await s.tracker.waitFor([say(s, k)], ctx.waitMs);
        s.wallMs += performance.now() - w0;
        s.loadgenMs += cpuMs(process.cpuUsage(cpu0));
        await sleep(SAY_GAP_MS);
      }
    }
  }
  const out = [];
  for (const [i, s] of state.entries()) {
    await s.tracker.waitFor(s.tracker.pendingRecords(), ctx.waitMs);
    const after = await ctx.probe(s.rig.which);
    const summary = s.tracker.summary();
    const says = Math.max(1, summary.events);
    out.push({
      ...summary,
      server: s.rig.which,
      says: summary.events,
      pacing: cfg.sayIntervalMs > 0 ? `one every ${cfg.sayIntervalMs} ms, servers in turn` : 'sequential, servers interleaved',
      cpuMsPerSay: cpuBetween(before[i]!, after) / says,
      cpuSource: after.source,
      loadgenCpuMsPerSay: s.loadgenMs / says,
      wallMs: s.wallMs,
    });
  }
  return out;
}

/** Players step out of the crowded room and back in; everyone left behind should see both. */
async function enterPhase(
  ctx: ScenarioContext,
  players: BenchPlayer[],
  count: number,
  trip: { out: string; back: string },
): Promise<{ enter: FanoutSummary; leave: FanoutSummary }> {
  const n = players.length;
  const doors = players.map((p) => p.door);
  const enter = new FanoutTracker(doors, ctx.waitMs);
  const leave = new FanoutTracker(doors, ctx.waitMs);
  let moverName = '';
  let key = '';
  let moved = 0;
  players.forEach((p, i) => {
    p.onEvent = (e) => {
      if (e.kind === 'room' && p.shown === moverName) moved++;
      else if (e.kind === 'leave' && e.who === moverName) leave.heard(key, i, e.t);
      else if (e.kind === 'enter' && e.who === moverName) enter.heard(key, i, e.t);
    };
  });
  const step = Math.max(1, Math.floor(n / count));
  for (let k = 0; k < count && timeLeft(ctx) > 0; k++) {
    const m = (k * step + 1) % n;
    const mover = players[m]!;
    moverName = mover.shown;
    key = `move${k}`;
    moved = 0;
    const out = leave.start(key, mover.command(trip.out), 'leave', [m]);
    await leave.waitFor([out], ctx.waitMs);
    await waitUntil(() => moved >= 1, ctx.waitMs);
    const back = enter.start(key, mover.command(trip.back), 'enter', [m]);
    await enter.waitFor([back], ctx.waitMs);
    await waitUntil(() => moved >= 2, ctx.waitMs);
    await sleep(SAY_GAP_MS);
  }
  return { enter: enter.summary(), leave: leave.summary() };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() >= deadline) return false;
    await sleep(5);
  }
  return true;
}
