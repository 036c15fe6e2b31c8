// A client of the bare fanout server: no login, no game. It writes the very line a game player
// would read (`Name says, "text"`), and every other client reads it back: the physical limit.
import { connect, type Socket } from 'node:net';
import { Condition, noEvent, type BenchPlayer, type HeardEvent } from './player.js';

const SAY = /^(\S+) says, "(.*)"$/;
const MAX_PARTIAL = 16 * 1024;

export class BarePlayer implements BenchPlayer {
  readonly door = 'bare' as const;
  onEvent: (e: HeardEvent) => void = noEvent;
  lastRx = 0;
  closed = false;
  private partial = '';
  private readonly changed = new Condition();

  private constructor(
    private readonly socket: Socket,
    readonly shown: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.changed.poke();
      this.onEvent({ kind: 'closed', t: performance.now() });
    });
  }

  static async connect(port: number, host: string, shown: string, timeoutMs: number): Promise<BarePlayer> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(t);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(t);
        reject(err);
      });
    });
    return new BarePlayer(socket, shown);
  }

  /** `say TEXT` becomes the line the others will read; anything else is sent as it is. */
  command(text: string): number {
    const line = text.startsWith('say ') ? `${this.shown} says, "${text.slice(4)}"` : text;
    const t = performance.now();
    if (!this.socket.destroyed) this.socket.write(line + '\n');
    return t;
  }

  waitClosed(timeoutMs: number): Promise<boolean> {
    return this.changed.until(() => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const t = performance.now();
    this.lastRx = t;
    let data = this.partial + chunk.toString('utf8');
    let nl = data.indexOf('\n');
    while (nl >= 0) {
      const m = SAY.exec(data.slice(0, nl));
      if (m) this.onEvent({ kind: 'say', from: m[1]!, text: m[2]!, t });
      data = data.slice(nl + 1);
      nl = data.indexOf('\n');
    }
    this.partial = data.length > MAX_PARTIAL ? '' : data;
  }
}
