// travel: players spread over the world, each moving every ~2 s (random valid exits) for a
// duration; for every move, the time from its write to the departure notice at each player in the
// room left and the arrival notice at each player in the room entered.
//
// Who must see a move is decided from the load generator's own record of positions, counting
// only observers who were standing still the whole time the move was in flight (their last move
// confirmed before this one was written, and none of theirs written before this one was
// confirmed). Such an observer was certainly in the room when the server ran the move, so a
// notice it never gets is a real miss; observers racing with the move are not counted either way.
import { stallWatch, type Stalls } from '../stalls.js';
import type { BenchPlayer } from '../clients/player.js';
import { benchName } from '../names.js';
import type { TravelConfig } from '../options.js';
import { emptyReceptions, Samples, type LatencySummary, type Receptions } from '../stats.js';
import { OPPOSITE, WorldMap, type Direction } from '../world.js';
import { closeAll, cpuBetween, cpuMs, doorFor, loginMany, pool, settle, sleep, timeLeft, type ScenarioContext } from './common.js';
import { bareTravel, nextStep, type BareTravelResult } from './travel-bare.js';

const RECENT_MOVES = 4;

interface Walker {
  player: BenchPlayer;
  room: string;
  /** The move written and not yet confirmed by the player's own room view. */
  inFlight: MoveRecord | null;
  lastConfirm: number;
  recent: MoveRecord[];
  confirmWaiter: (() => void) | null;
}

interface MoveRecord {
  mover: number;
  from: string;
  to: string;
  dir: Direction;
  t0: number;
  confirmedAt: number;
  measured: boolean;
  leaveRx: Map<number, number>;
  enterRx: Map<number, number>;
  leaveExpected: number[];
  enterExpected: number[];
}

export interface TravelResult {
  doors: string;
  players: number;
  rooms: number;
  loginFailures: string[];
  spreadSeconds: number;
  durationS: number;
  moves: number;
  refused: number;
  unconfirmed: number;
  /** Players whose connection closed while the moves were measured. */
  closed: number;
  receptions: Receptions;
  /** Expected notices never seen, and seen only after the wait, by the observer's door. */
  missedNever: Partial<Record<string, number>>;
  missedLate: number;
  notice: LatencySummary;
  departure: LatencySummary;
  arrival: LatencySummary;
  /** Own room view after a move: the mover's round trip. */
  moveConfirm: LatencySummary;
  serverCpuPercent: number;
  serverCpuMsPerMove: number;
  loadgenCpuPercent: number;
  /** How late each process's event loop ran, and its GC pauses, during the moves: where the latency went. */
  serverStalls: Stalls | null;
  loadgenStalls: Stalls;
  /** The same walk on the bare fanout server, right after: the floor at that moment. */
  bare: BareTravelResult | null;
}

export async function travel(ctx: ScenarioContext, cfg: TravelConfig): Promise<TravelResult> {
  const map = new WorldMap(undefined, cfg.rooms);
  const game = await gameTravel(ctx, cfg, map);
  const bare = ctx.target.barePort !== null && timeLeft(ctx) > 0 ? await bareTravel(ctx, cfg, map) : null;
  return { ...game, bare };
}

async function gameTravel(ctx: ScenarioContext, cfg: TravelConfig, map: WorldMap): Promise<Omit<TravelResult, 'bare'>> {
  ctx.log(`travel: logging in ${cfg.players} players`);
  const names = Array.from({ length: cfg.players }, (_, i) => benchName('tr', i));
  const batch = await loginMany(ctx, names, 'register', (i) => doorFor(ctx.doors, i));
  const walkers: Walker[] = batch.players.map((player) => ({
    player,
    room: map.startId,
    inFlight: null,
    lastConfirm: 0,
    recent: [],
    confirmWaiter: null,
  }));
  const byName = new Map(walkers.map((w, i) => [w.player.shown, i]));
  const occupants = new Map<string, Set<number>>();
  const roomSet = (id: string) => {
    let s = occupants.get(id);
    if (!s) occupants.set(id, (s = new Set()));
    return s;
  };
  walkers.forEach((_, i) => roomSet(map.startId).add(i));

  let measuring = false;
  let refused = 0;
  let closed = 0;
  const moves: MoveRecord[] = [];
  const confirmTimes = new Samples();

  const confirm = (i: number, t: number) => {
    const w = walkers[i]!;
    const m = w.inFlight;
    if (!m) return;
    w.inFlight = null;
    m.confirmedAt = t;
    if (m.measured) {
      confirmTimes.add(t - m.t0);
      // Observers: in the room (by our record), not moving, and still since before the write.
      const still = (q: number) => q !== i && walkers[q]!.inFlight === null && walkers[q]!.lastConfirm < m.t0;
      m.leaveExpected = [...(occupants.get(m.from) ?? [])].filter(still);
      m.enterExpected = [...(occupants.get(m.to) ?? [])].filter(still);
    }
    roomSet(m.from).delete(i);
    roomSet(m.to).add(i);
    w.room = m.to;
    w.lastConfirm = t;
    w.confirmWaiter?.();
  };

  // A notice names the mover and a direction; a WebSocket envelope also names the room. For a
  // telnet line the room is taken to be the observer's own (right for every observer who counts:
  // they stand still), so that a late notice of one move is not credited to the mover's next move
  // in the same direction from another room.
  const notice = (observer: number, kind: 'enter' | 'leave', who: string, dir: Direction | null, roomId: string | null, t: number) => {
    const mover = byName.get(who);
    if (mover === undefined || dir === null) return;
    const recent = walkers[mover]!.recent;
    const room = roomId ?? walkers[observer]!.room;
    const credit = (sameRoom: boolean): boolean => {
      for (let k = recent.length - 1; k >= 0; k--) {
        const m = recent[k]!;
        const rx = kind === 'leave' ? m.leaveRx : m.enterRx;
        const sameDir = kind === 'leave' ? m.dir === dir : OPPOSITE[m.dir] === dir;
        const inRoom = (kind === 'leave' ? m.from : m.to) === room;
        if (sameDir && (inRoom || !sameRoom) && !rx.has(observer)) {
          rx.set(observer, t - m.t0);
          return true;
        }
      }
      return false;
    };
    // Observers racing with a move may have a stale room: they are not counted, but still credited.
    if (!credit(true) && roomId === null) credit(false);
  };

  walkers.forEach((w, i) => {
    w.player.onEvent = (e) => {
      switch (e.kind) {
        case 'room':
          return confirm(i, e.t);
        case 'leave':
        case 'enter':
          return notice(i, e.kind, e.who, e.dir, e.roomId, e.t);
        case 'closed':
          if (measuring) closed++;
          return;
        case 'refused':
          if (w.inFlight) {
            refused++;
            w.inFlight = null;
            w.confirmWaiter?.();
          }
          return;
        default:
          return;
      }
    };
  });

  const move = (i: number, dir: Direction, to: string): MoveRecord => {
    const w = walkers[i]!;
    const rec: MoveRecord = {
      mover: i, from: w.room, to, dir, t0: 0, confirmedAt: 0, measured: measuring,
      leaveRx: new Map(), enterRx: new Map(), leaveExpected: [], enterExpected: [],
    };
    w.inFlight = rec;
    w.recent.push(rec);
    if (w.recent.length > RECENT_MOVES) w.recent.shift();
    if (measuring) moves.push(rec);
    rec.t0 = w.player.command(dir);
    return rec;
  };

  const waitConfirm = (i: number, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const w = walkers[i]!;
      if (!w.inFlight) return resolve(true);
      const t = setTimeout(() => {
        w.confirmWaiter = null;
        resolve(false);
      }, timeoutMs);
      w.confirmWaiter = () => {
        clearTimeout(t);
        w.confirmWaiter = null;
        resolve(true);
      };
    });

  let unconfirmed = 0;
  let lost = 0;
  try {
    // Spread: everyone walks to a random room (all start in the start room).
    ctx.log(`travel: spreading ${walkers.length} players over ${map.rooms.length} rooms`);
    const spread0 = performance.now();
    // A bounded number walk at once: all of them leaving a room of a thousand at the same moment
    // would measure nothing but make the set-up slow.
    await pool(walkers.length, ctx.loginConcurrency, ctx.deadline, async (i) => {
      const w = walkers[i]!;
      const goal = map.rooms[Math.floor(Math.random() * map.rooms.length)]!;
      for (const dir of map.path(w.room, goal)) {
        if (timeLeft(ctx) <= 0) return;
        const to = map.world.rooms.get(w.room)!.exits[dir]!;
        move(i, dir, to);
        if (!(await waitConfirm(i, Math.max(ctx.waitMs, 60_000)))) {
          lost++; // its position is unknown: it stays out of the measurement (inFlight never clears)
          return;
        }
      }
    });
    const spreadSeconds = (performance.now() - spread0) / 1000;
    await settle(
      walkers.map((w) => w.player),
      1000,
      Math.min(60_000, timeLeft(ctx)),
    );

    ctx.log(`travel: ${cfg.durationS} s of moves`);
    measuring = true;
    const server0 = await ctx.probe('server', false, true);
    const loadgen0 = process.cpuUsage();
    const watch = stallWatch();
    const t0 = performance.now();
    const end = t0 + cfg.durationS * 1000;
    await Promise.all(
      walkers.map(async (w, i) => {
        if (w.inFlight) return; // lost while spreading
        for (;;) {
          const step = await nextStep(ctx, cfg, map, w.room, end);
          if (!step) return;
          move(i, ...step);
          if (!(await waitConfirm(i, ctx.waitMs))) {
            unconfirmed++;
            return; // this walker's position is unknown from now on: it stops walking
          }
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const server1 = await ctx.probe('server');
    const loadgenCpu = cpuMs(process.cpuUsage(loadgen0));
    const loadgenStalls = watch.read();
    watch.stop();
    // Let the last notices arrive, for at most the reception wait.
    const outstanding = () =>
      moves.some((m) => m.confirmedAt > 0 && (m.leaveExpected.some((q) => !m.leaveRx.has(q)) || m.enterExpected.some((q) => !m.enterRx.has(q))));
    const drainUntil = performance.now() + Math.min(ctx.waitMs, timeLeft(ctx));
    while (outstanding() && performance.now() < drainUntil) await sleep(50);

    const receptions = emptyReceptions();
    const missedNever: Partial<Record<string, number>> = {};
    let missedLate = 0;
    const all = new Samples();
    const departure = new Samples();
    const arrival = new Samples();
    const tally = (expected: number[], rx: Map<number, number>, into: Samples) => {
      const want = new Set(expected);
      for (const q of expected) {
        receptions.expected++;
        const v = rx.get(q);
        if (v === undefined || v > ctx.waitMs) {
          receptions.missed++;
          if (v !== undefined) missedLate++;
          else {
            const door = walkers[q]!.player.door;
            missedNever[door] = (missedNever[door] ?? 0) + 1;
          }
        } else {
          receptions.received++;
          all.add(v);
          into.add(v);
        }
      }
      for (const q of rx.keys()) if (!want.has(q)) receptions.unexpected++;
    };
    for (const m of moves) {
      if (m.confirmedAt === 0) continue;
      tally(m.leaveExpected, m.leaveRx, departure);
      tally(m.enterExpected, m.enterRx, arrival);
    }
    return {
      doors: ctx.doors,
      players: walkers.length,
      rooms: map.rooms.length,
      loginFailures: batch.failures,
      spreadSeconds,
      durationS: elapsed / 1000,
      moves: moves.length,
      refused,
      unconfirmed: unconfirmed + lost,
      closed,
      receptions,
      missedNever,
      missedLate,
      notice: all.summary(),
      departure: departure.summary(),
      arrival: arrival.summary(),
      moveConfirm: confirmTimes.summary(),
      serverCpuPercent: (cpuBetween(server0, server1) / elapsed) * 100,
      serverCpuMsPerMove: cpuBetween(server0, server1) / Math.max(1, moves.length),
      loadgenCpuPercent: (loadgenCpu / elapsed) * 100,
      serverStalls: server1.stalls,
      loadgenStalls,
    };
  } finally {
    closeAll(walkers.map((w) => w.player));
  }
}
