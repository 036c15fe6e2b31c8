// reload: players online, half of them walking, while the sysop reloads the world every few
// seconds (POST /admin/reload, what `mythos admin reload` sends). For every move: the time from
// its write to its answer (the mover's own room view, or a refusal), so the longest pause a
// player saw and the commands never answered show what a reload costs the people playing.
import { z } from 'zod';
import { AdminClient } from '../../cli/admin/client.js';
import { benchName } from '../names.js';
import type { BenchPlayer } from '../clients/player.js';
import type { ReloadConfig } from '../options.js';
import { Samples, type LatencySummary } from '../stats.js';
import { WorldMap, type Direction } from '../world.js';
import { closeAll, cpuBetween, doorFor, loginMany, settle, sleep, type ScenarioContext } from './common.js';

export interface ReloadResult {
  doors: string;
  players: number;
  movers: number;
  loginFailures: string[];
  durationS: number;
  reloads: number;
  /** Reloads the server refused or that did not answer, with why. */
  reloadFailures: string[];
  /** The reload's own time as the server measured it (the `ms` of its answer). */
  reloadServerMs: LatencySummary;
  /** From the POST to its answer, at the load generator. */
  reloadRoundTripMs: LatencySummary;
  commands: number;
  answered: number;
  /** Commands with no answer within the wait: lost. */
  lost: number;
  /** Players whose connection closed during the run. */
  closed: number;
  answer: LatencySummary;
  /** The answers to moves written while a reload was in flight. */
  duringReload: LatencySummary;
  serverCpuPercent: number;
}

interface Mover {
  player: BenchPlayer;
  room: string;
  /** performance.now() of the move in flight, and where it leads. */
  sentAt: number | null;
  to: string | null;
  /** The move in flight was written, or still waited, while a reload ran. */
  duringReload: boolean;
  answered: (() => void) | null;
}

/** What matters here of the server's answer to POST /admin/reload: its own time for the reload. */
const ReloadAnswer = z.object({ ms: z.number() });

export async function reload(ctx: ScenarioContext, cfg: ReloadConfig): Promise<ReloadResult> {
  const { adminUrl, adminToken } = ctx.target;
  if (!adminUrl || !adminToken) throw new Error('the reload scenario needs the server admin API (its URL and token)');
  // The same client, and so the same request, as `mythos admin reload`.
  const admin = new AdminClient({ url: adminUrl, token: adminToken });
  const map = new WorldMap();
  const names = Array.from({ length: cfg.players }, (_, i) => benchName('rl', i));
  const batch = await loginMany(ctx, names, 'register', (i) => doorFor(ctx.doors, i));
  const players = batch.players;
  const movers: Mover[] = players
    .filter((_, i) => i % 2 === 0)
    .map((player) => ({ player, room: map.startId, sentAt: null, to: null, duringReload: false, answered: null }));
  const answers = new Samples();
  const duringReload = new Samples();
  let commands = 0;
  let lost = 0;
  let closed = 0;
  let reloading = false;
  for (const p of players) {
    p.onEvent = (e) => {
      if (e.kind === 'closed') closed++;
    };
  }
  for (const m of movers) {
    m.player.onEvent = (e) => {
      if (e.kind === 'closed') closed++;
      if (m.sentAt === null || (e.kind !== 'room' && e.kind !== 'refused')) return;
      const ms = e.t - m.sentAt;
      answers.add(ms);
      if (m.duringReload) duringReload.add(ms);
      if (e.kind === 'room' && m.to) m.room = m.to;
      m.sentAt = null;
      m.answered?.();
    };
  }

  await settle(players, 500, 30_000);

  const reloadServer = new Samples();
  const reloadTrip = new Samples();
  const reloadFailures: string[] = [];
  const t0 = performance.now();
  const end = Math.min(t0 + cfg.durationS * 1000, ctx.deadline - ctx.waitMs - 5_000);
  const server0 = await ctx.probe('server');

  const walk = async (m: Mover): Promise<void> => {
    await sleep(Math.random() * cfg.meanIntervalS * 2000);
    while (performance.now() < end && !m.player.closed) {
      const exits = map.exits(m.room);
      const [dir, to] = exits[Math.floor(Math.random() * exits.length)] ?? ([null, null] as [Direction | null, string | null]);
      if (!dir) break;
      const answered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ctx.waitMs);
        m.answered = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      m.to = to;
      m.duringReload = reloading;
      m.sentAt = m.player.command(dir);
      commands++;
      if (!(await answered)) {
        lost++;
        m.sentAt = null;
      }
      m.answered = null;
      await sleep(Math.random() * cfg.meanIntervalS * 2000);
    }
  };

  const sysop = async (): Promise<void> => {
    while (performance.now() + cfg.everyS * 1000 < end) {
      await sleep(cfg.everyS * 1000);
      reloading = true;
      for (const m of movers) if (m.sentAt !== null) m.duringReload = true;
      const sent = performance.now();
      try {
        const { value } = await admin.fetchAs(ReloadAnswer, 'POST', '/admin/reload');
        reloadTrip.add(performance.now() - sent);
        reloadServer.add(value.ms);
      } catch (err) {
        reloadFailures.push(err instanceof Error ? err.message : String(err));
      } finally {
        reloading = false;
      }
    }
  };

  await Promise.all([...movers.map(walk), sysop()]);
  const server1 = await ctx.probe('server');
  const elapsed = performance.now() - t0;
  closeAll(players);
  return {
    doors: ctx.doors,
    players: players.length,
    movers: movers.length,
    loginFailures: batch.failures,
    durationS: elapsed / 1000,
    reloads: reloadTrip.count,
    reloadFailures,
    reloadServerMs: reloadServer.summary(),
    reloadRoundTripMs: reloadTrip.summary(),
    commands,
    answered: answers.count,
    lost,
    closed,
    answer: answers.summary(),
    duringReload: duringReload.summary(),
    serverCpuPercent: (cpuBetween(server0, server1) / elapsed) * 100,
  };
}
