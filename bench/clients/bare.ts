// A client of the bare fanout server: no login, no game. It writes the very line a game player
// would read (`Name says, "text"`), and every other client reads it back: the physical limit.
import type { Socket } from 'node:net';
import { connectSocket, PlayerState, type BenchPlayer } from './player.js';

const SAY = /^(\S+) says, "(.*)"$/;
const MAX_PARTIAL = 16 * 1024;

export class BarePlayer extends PlayerState implements BenchPlayer {
  readonly door = 'bare' as const;
  private partial = '';

  private constructor(
    private readonly socket: Socket,
    readonly shown: string,
  ) {
    super();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.markClosed());
  }

  static async connect(port: number, host: string, shown: string, timeoutMs: number): Promise<BarePlayer> {
    return new BarePlayer(await connectSocket(port, host, timeoutMs), shown);
  }

  /** `say TEXT` becomes the line the others will read; anything else is sent as it is. */
  command(text: string): number {
    const line = text.startsWith('say ') ? `${this.shown} says, "${text.slice(4)}"` : text;
    const t = performance.now();
    if (!this.socket.destroyed) this.socket.write(line + '\n');
    return t;
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
