// What a scenario sees of one simulated player, whatever its door: it types commands and hears
// events, each stamped with the load generator's clock (performance.now()) when its bytes arrived.
import { connect, type Socket } from 'node:net';
import type { Direction } from '../world.js';

export type BenchDoor = 'telnet' | 'ws' | 'bare';

export type HeardEvent =
  | { kind: 'say'; from: string; text: string; t: number }
  | { kind: 'enter'; who: string; dir: Direction | null; roomId: string | null; t: number }
  | { kind: 'leave'; who: string; dir: Direction | null; roomId: string | null; t: number }
  /** The player's own room view after a move of theirs (telnet: the `Exits:` line). */
  | { kind: 'room'; roomId: string | null; t: number }
  /** The game refused a command or warned the player (cannot go, too fast, an error event). */
  | { kind: 'refused'; text: string; t: number }
  | { kind: 'closed'; t: number };

export interface BenchPlayer {
  readonly door: BenchDoor;
  /** The name as the server shows it. */
  readonly shown: string;
  /** performance.now() of the last bytes received (for "the room has gone quiet"). */
  readonly lastRx: number;
  readonly closed: boolean;
  /** Set by the scenario; called for every event heard once in the game. */
  onEvent: (e: HeardEvent) => void;
  /** Types a command; returns performance.now() taken just before the bytes were written. */
  command(text: string): number;
  /** Resolves once the connection is closed (by either side), or after `timeoutMs`. */
  waitClosed(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export type LoginMode = 'register' | 'login';

export class LoginError extends Error {
  constructor(
    readonly player: string,
    readonly reason: string,
  ) {
    super(`${player}: ${reason}`);
  }
}

export const noEvent = (): void => {};

/** The lines the game prints for a say, a departure and an arrival (the bare server's clients write the same). */
export const SAY = /^(\S+) says, "(.*)"$/;
export const LEAVE = /^(\S+) leaves (\w+)\.$/;
export const ARRIVE = /^(\S+) arrives from (?:the )?(\w+)\.$/;

const DIRECTION_WORDS: Record<string, Direction> = {
  north: 'north', south: 'south', east: 'east', west: 'west',
  northeast: 'northeast', northwest: 'northwest', southeast: 'southeast', southwest: 'southwest',
  up: 'up', down: 'down', upward: 'up', downward: 'down', above: 'up', below: 'down',
};

export function directionWord(word: string | null | undefined): Direction | null {
  return word ? (DIRECTION_WORDS[word] ?? null) : null;
}

/** A promise that settles when `check` holds, re-checked on `poke()`; bounded by `timeoutMs`. */
export class Condition {
  private waiters: Array<() => void> = [];

  poke(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }
}

/** What every simulated player keeps alike: the scenario's hook, the last arrival, the closing. */
export abstract class PlayerState {
  onEvent: (e: HeardEvent) => void = noEvent;
  lastRx = 0;
  closed = false;
  protected readonly changed = new Condition();

  /** The connection is gone: waiters and the scenario hear of it. */
  protected markClosed(): void {
    this.closed = true;
    this.changed.poke();
    this.onEvent({ kind: 'closed', t: performance.now() });
  }

  waitClosed(timeoutMs: number): Promise<boolean> {
    return this.changed.until(() => this.closed, timeoutMs);
  }
}

// One read buffer for all the load generator's sockets: net's `onread` hands each read to a
// callback as a view into it, with no Buffer made per read and none of the stream's 'data'
// machinery (the travel scenario reads some 22,000 times a second, and whatever the load generator
// spends per read is added to the times it measures). A view is good only until the next read, so
// a reader copies what it keeps.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Where a socket's reads go: to the player once it is attached, kept (copied) until then. */
export class SocketReader {
  private sink: ((chunk: Buffer) => void) | null = null;
  private early: Buffer[] = [];

  push(chunk: Buffer): void {
    if (this.sink) this.sink(chunk);
    else this.early.push(Buffer.from(chunk));
  }

  attach(sink: (chunk: Buffer) => void): void {
    this.sink = sink;
    for (const chunk of this.early.splice(0)) sink(chunk);
  }
}

/**
 * A connected TCP socket with Nagle off, whose reads go to `reader` (no 'data' events); destroyed
 * and rejected on an error or after `timeoutMs`.
 */
export function connectSocket(port: number, host: string, timeoutMs: number, reader: SocketReader): Promise<Socket> {
  const socket = connect({
    port,
    host,
    onread: {
      buffer: READ_BUFFER,
      callback: (n: number, buf: Uint8Array) => {
        reader.push(Buffer.from(buf.buffer, buf.byteOffset, n));
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(t);
      socket.destroy();
      reject(err);
    };
    const t = setTimeout(() => fail(new Error('connect timed out')), timeoutMs);
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(t);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
