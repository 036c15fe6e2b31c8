// Shared by the unit tests of server/: a real Game on a temporary SQLite file, and a Connection
// that records what the core delivers to it (the core's own boundary, not a mock of the server).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { Envelope, type Door, type EnvelopeOf, type EventType } from '../../shared/protocol.js';
import type { Connection } from '../../server/core/connection.js';
import { Game } from '../../server/core/game.js';
import type { Outbound } from '../../server/core/outbound.js';
import type { PlayerSession } from '../../server/core/session.js';
import { silentLogger } from '../../server/logger.js';
import type { Account, Store } from '../../server/store/repository.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { loadWorld, type World } from '../../server/world/load.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mythos-unit-'));
}

/** A pino logger whose JSON lines are kept, to check that something was logged. */
export function recordingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  // pino calls write() synchronously and done() is called at once, so a line is kept before the
  // logging call returns: a test can look right after the action.
  return { log: pino({ level: 'debug' }, sink), lines };
}

let bundled: World | undefined;
export function bundledWorld(): World {
  bundled ??= loadWorld();
  return bundled;
}

export interface TestGame {
  game: Game;
  store: Store;
  world: World;
  dir: string;
  dbFile: string;
  /** A player in the game on a RecordingConnection, created straight in the store (no scrypt). */
  join(name: string, opts?: { roomId?: string; door?: Door; validate?: boolean }): TestPlayer;
  /** Shuts the game down, closes the store, removes the temp dir. Idempotent. */
  cleanup(): void;
}

export interface TestPlayer {
  account: Account;
  conn: RecordingConnection;
  session: PlayerSession;
  /** Types a line, exactly as a player would. */
  type(line: string): void;
  /** Where presence says the player is. */
  room(): string;
}

export function makeGame(
  opts: { world?: World; resumeWindowS?: number; occupantsIntervalMs?: number; log?: Logger; checkDeliveries?: boolean } = {},
): TestGame {
  const dir = tempDir();
  const dbFile = join(dir, 'mythos.db');
  const store = openSqliteStore(dbFile);
  const world = opts.world ?? bundledWorld();
  // occupantsIntervalMs 0: every room_occupants list goes out at once, so tests need no timers.
  const game = new Game({
    world,
    store,
    log: opts.log ?? silentLogger(),
    occupantsIntervalMs: opts.occupantsIntervalMs ?? 0,
    // Every delivery through JSON and its schema, as between processes (see GameOptions).
    checkDeliveries: opts.checkDeliveries ?? true,
    ...(opts.resumeWindowS === undefined ? {} : { resumeWindowS: opts.resumeWindowS }),
  });
  let done = false;
  return {
    game,
    store,
    world,
    dir,
    dbFile,
    join(name, o = {}) {
      const account =
        store.findAccount(name) ??
        store.createAccount({ name, passwordHash: 'not-a-real-hash', role: 'player', roomId: o.roomId ?? world.start.id });
      const conn = new RecordingConnection(o.door ?? 'telnet', { validate: o.validate ?? true });
      const session = game.enter(account, conn);
      return {
        account,
        conn,
        session,
        type: (line) => game.input(session, line),
        room: () => game.presence.get(account.id)!.roomId,
      };
    },
    cleanup() {
      if (done) return;
      done = true;
      game.shutdown();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What a front door would be handed by the core, recorded. Every delivery is checked the way a
 * client would see it: Outbound.json(seq) through JSON.parse and the Envelope schema, and the
 * sequence numbers 1, 2, 3... Problems are collected (deliver must not throw: the bus would
 * swallow it) so a test can assert that there were none.
 */
export class RecordingConnection implements Connection {
  readonly remoteAddress = '127.0.0.1';
  readonly framesBeforeLogin = 0;
  readonly replays = true;
  readonly received: Envelope[] = [];
  readonly problems: string[] = [];
  closed = false;
  closeNotice: string | undefined;
  deliveries = 0;
  private lastSeq = 0;
  private readonly validate: boolean;

  constructor(
    readonly door: Door = 'telnet',
    opts: { validate?: boolean } = {},
  ) {
    this.validate = opts.validate ?? true;
  }

  deliver(out: Outbound, seq: number): void {
    this.deliveries++;
    if (this.closed) this.problems.push(`delivery after close: ${out.eventType}`);
    if (seq !== this.lastSeq + 1) this.problems.push(`sequence ${seq} after ${this.lastSeq}`);
    this.lastSeq = seq;
    if (!this.validate) return;
    const parsed = Envelope.safeParse(JSON.parse(out.json(seq)));
    if (!parsed.success) {
      this.problems.push(`invalid ${out.eventType} envelope: ${parsed.error.message}`);
      return;
    }
    this.received.push(parsed.data);
  }

  close(notice?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeNotice = notice;
  }

  ofType<T extends EventType>(type: T): Array<EnvelopeOf<T>> {
    return this.received.filter((e): e is EnvelopeOf<T> => e.event_type === type);
  }

  /** The lines a telnet player would read: data.message, or command_output's text. */
  texts(): string[] {
    const out: string[] = [];
    for (const e of this.received) {
      if (e.event_type === 'command_output') out.push(e.data.text);
      else if ('message' in e.data && typeof e.data.message === 'string') out.push(e.data.message);
    }
    return out;
  }

  /** The command_output texts only. */
  outputs(): string[] {
    return this.ofType('command_output').map((e) => e.data.text);
  }

  clear(): void {
    this.received.length = 0;
  }
}

/** Polls `cond` until it holds; bounded, for the asynchronous parts (scrypt). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A small seeded PRNG (mulberry32), so a failing random walk can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
