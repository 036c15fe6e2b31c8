// memory: the server's RSS (after a GC) with N idle players in the game, minus its RSS before they
// came, per player; the same for N idle sockets on the bare fanout server, for the ratio.
import type { BenchPlayer } from '../clients/player.js';
import { benchName } from '../names.js';
import type { MemoryConfig } from '../options.js';
import { bareAccepted, closeAll, connectBare, doorFor, loginMany, idleSample, loginPlayer, pool, settle, timeLeft, type ProbeSample, type ScenarioContext } from './common.js';

export interface MemorySide {
  players: number;
  baseline: ProbeSample;
  loaded: ProbeSample;
  rssPerPlayerKb: number;
  heapPerPlayerKb: number | null;
}

export interface MemoryResult {
  doors: string;
  warmup: number;
  idleS: number;
  loginFailures: string[];
  game: MemorySide & { rssPerPlayerKbAfterRush: number };
  bare: MemorySide | null;
}

export async function memory(ctx: ScenarioContext, cfg: MemoryConfig): Promise<MemoryResult> {
  // Warm-up: a few players come and go, so code paths loaded once are in the baseline.
  await pool(cfg.warmup, Math.min(cfg.warmup, 5), ctx.deadline, async (i) => {
    const p = await loginPlayer(ctx, benchName('mw', i), 'register', doorFor(ctx.doors, i));
    p.command('quit');
    await p.waitClosed(ctx.waitMs);
    p.close();
  });
  const baseline = await idleSample(ctx, 'server', cfg.idleS);

  ctx.log(`memory: ${cfg.players} idle players`);
  const names = Array.from({ length: cfg.players }, (_, i) => benchName('me', i));
  const batch = await loginMany(ctx, names, 'register', (i) => doorFor(ctx.doors, i));
  const players: BenchPlayer[] = batch.players;
  let bare: MemorySide | null = null;
  try {
    await settle(players, 1000, Math.min(60_000, timeLeft(ctx)));
    // Right after the logins too, so the report shows what the rush costs until V8 gives it back.
    const rushed = await idleSample(ctx, 'server', 0);
    const loaded = await idleSample(ctx, 'server', cfg.idleS);
    const game = { ...side(players.length, baseline, loaded), rssPerPlayerKbAfterRush: side(players.length, baseline, rushed).rssPerPlayerKb };

    if (ctx.target.barePort !== null) {
      const bareBase = await idleSample(ctx, 'bare', 0);
      const sockets = await connectBare(ctx, cfg.players, 0);
      try {
        await bareAccepted(ctx, sockets.length);
        bare = side(sockets.length, bareBase, await idleSample(ctx, 'bare', 0));
      } finally {
        closeAll(sockets);
      }
    }
    return { doors: ctx.doors, warmup: cfg.warmup, idleS: cfg.idleS, loginFailures: batch.failures, game, bare };
  } finally {
    closeAll(players);
  }
}

function side(players: number, baseline: ProbeSample, loaded: ProbeSample): MemorySide {
  const per = (a: number, b: number) => (players > 0 ? (b - a) / players / 1024 : 0);
  return {
    players,
    baseline,
    loaded,
    rssPerPlayerKb: per(baseline.rss, loaded.rss),
    heapPerPlayerKb: baseline.heapUsed !== null && loaded.heapUsed !== null ? per(baseline.heapUsed, loaded.heapUsed) : null,
  };
}
