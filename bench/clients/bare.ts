// A client of the bare fanout server: no login, no game. It writes the very lines a game player
// would read (`Name says, "text"`, `Name leaves north.`), and every other client in its room reads
// them back: the physical limit.
import type { Socket } from 'node:net';
import { ARRIVE, connectSocket, directionWord, LEAVE, PlayerState, SAY, SocketReader, type BenchPlayer } from './player.js';

const MAX_PARTIAL = 16 * 1024;

export class BarePlayer extends PlayerState implements BenchPlayer {
  readonly door = 'bare' as const;
  private partial = '';

  private constructor(
    private readonly socket: Socket,
    readonly shown: string,
    reader: SocketReader,
  ) {
    super();
    reader.attach((chunk) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.markClosed());
  }

  static async connect(port: number, host: string, shown: string, timeoutMs: number): Promise<BarePlayer> {
    const reader = new SocketReader();
    return new BarePlayer(await connectSocket(port, host, timeoutMs, reader), shown, reader);
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
      const line = data.slice(0, nl);
      let m = SAY.exec(line);
      if (m) this.onEvent({ kind: 'say', from: m[1]!, text: m[2]!, t });
      else if ((m = LEAVE.exec(line))) this.onEvent({ kind: 'leave', who: m[1]!, dir: directionWord(m[2]), roomId: null, t });
      else if ((m = ARRIVE.exec(line))) this.onEvent({ kind: 'enter', who: m[1]!, dir: directionWord(m[2]), roomId: null, t });
      data = data.slice(nl + 1);
      nl = data.indexOf('\n');
    }
    this.partial = data.length > MAX_PARTIAL ? '' : data;
  }
}
