// The travel scenario's physical limit: the same number of walkers, the same pace, over the same
// rooms, on the bare fanout server. A move is three lines in one write: the departure for the room
// left, `/room` to change rooms, the arrival for the room entered; the bare server copies each line
// to the others in the sender's room as it stands, as the game tells the players in the two rooms.
// The mover's name is the move's number, so every notice is matched to the write that caused it.
// (The game also sends the mover its new room; here the mover gets nothing back.)
import type { TravelConfig } from '../options.js';
import { Samples, type LatencySummary } from '../stats.js';
import { OPPOSITE, type Direction, type WorldMap } from '../world.js';
import { bareAccepted, closeAll, connectBare, cpuBetween, cpuMs, settle, sleep, timeLeft, type ScenarioContext } from './common.js';

export interface BareTravelResult {
  players: number;
  durationS: number;
  moves: number;
  notice: LatencySummary;
  serverCpuPercent: number;
  serverCpuMsPerMove: number;
  loadgenCpuPercent: number;
}

/**
 * One walker's next move, for the game's walk and the bare one alike: a random pause (mean
 * `meanIntervalS`), then a random exit of `room`; null once the walk is over or the room has none.
 */
export async function nextStep(ctx: ScenarioContext, cfg: TravelConfig, map: WorldMap, room: string, end: number): Promise<[Direction, string] | null> {
  await sleep(Math.min(Math.random() * 2 * cfg.meanIntervalS * 1000, end - performance.now()));
  if (performance.now() >= end || timeLeft(ctx) <= 0) return null;
  const exits = map.exits(room);
  return exits.length === 0 ? null : exits[Math.floor(Math.random() * exits.length)]!;
}

export async function bareTravel(ctx: ScenarioContext, cfg: TravelConfig, map: WorldMap): Promise<BareTravelResult> {
  ctx.log(`travel: the same walk on the bare fanout server, ${cfg.durationS} s`);
  const players = await connectBare(ctx, cfg.players, 0);
  try {
    await bareAccepted(ctx, players.length);
    const rooms = players.map(() => map.rooms[Math.floor(Math.random() * map.rooms.length)]!);
    players.forEach((p, i) => p.command(`/room ${rooms[i]}`));
    const sentAt: number[] = [];
    const notice = new Samples();
    for (const p of players) {
      p.onEvent = (e) => {
        if (e.kind !== 'leave' && e.kind !== 'enter') return;
        const t0 = sentAt[Number(e.who.slice(1))];
        if (t0 !== undefined) notice.add(e.t - t0);
      };
    }
    await sleep(500); // the /room lines are in before the first move

    const bare0 = await ctx.probe('bare');
    const loadgen0 = process.cpuUsage();
    const t0 = performance.now();
    const end = t0 + cfg.durationS * 1000;
    await Promise.all(
      players.map(async (p, i) => {
        for (;;) {
          const step = await nextStep(ctx, cfg, map, rooms[i]!, end);
          if (!step) return;
          const [dir, to] = step;
          const id = sentAt.push(0) - 1;
          sentAt[id] = p.command(`m${id} leaves ${dir}.\n/room ${to}\nm${id} arrives from the ${OPPOSITE[dir]}.`);
          rooms[i] = to;
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const bare1 = await ctx.probe('bare');
    const loadgenCpu = cpuMs(process.cpuUsage(loadgen0));
    await settle(players, 500, Math.min(ctx.waitMs, timeLeft(ctx))); // the last notices
    const moves = sentAt.length;
    return {
      players: players.length,
      durationS: elapsed / 1000,
      moves,
      notice: notice.summary(),
      serverCpuPercent: (cpuBetween(bare0, bare1) / elapsed) * 100,
      serverCpuMsPerMove: cpuBetween(bare0, bare1) / Math.max(1, moves),
      loadgenCpuPercent: (loadgenCpu / elapsed) * 100,
    };
  } finally {
    closeAll(players);
  }
}
