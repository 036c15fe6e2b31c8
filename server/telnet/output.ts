// The bytes a telnet connection sends: one ordered queue, written to the socket once per
// event-loop turn, with a bound on what a client that does not read may make us hold. MCCP2 slots
// in by replacing rawWrite and rawEnd (mccp.ts); the text, prompts and rendering above this are
// the connection's.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { turnBatch } from '../turn-batch.js';
import type { RawOutput } from './mccp.js';

export interface TelnetOutputOwner {
  /** Just before a turn's bytes are written: the connection's last word for this turn (a prompt). */
  beforeWrite(): void;
}

export class TelnetOutput implements RawOutput {
  /** Bytes waiting for the end of this event-loop turn. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  /** Set once the connection is being closed or was cut loose: nothing more is queued. */
  stopped = false;
  private readonly plainWrite = (bytes: Buffer): void => this.enqueue(bytes);
  /** Replaced while MCCP2 compresses (mccp.ts). */
  rawWrite: (bytes: Buffer) => void = this.plainWrite;
  /** Ends the output; replaced like rawWrite while MCCP2 must finish its stream first. */
  rawEnd: () => void = () => {
    this.writeOut();
    this.socket.end();
  };

  constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
    private readonly address: string,
    /** Bytes queued for a client that is not reading, beyond which it is disconnected. */
    private readonly maxBytes: number,
    private readonly owner: TelnetOutputOwner,
  ) {}

  private enqueue(bytes: Buffer): void {
    if (this.socket.destroyed) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.maxBytes * 8) {
      // One turn's output alone is absurd: whatever produced it, this client is cut loose.
      this.cutLoose(this.pendingBytes);
      return;
    }
    this.soon();
  }

  /** Asks for this turn's write (the owner's beforeWrite runs first), once per turn. */
  soon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    scheduleFlush(this);
  }

  /** Called once per turn by the turn batch: the owner's last word, then one write. */
  flush(): void {
    this.owner.beforeWrite();
    this.flushQueued = false;
    this.writeOut();
  }

  private writeOut(): void {
    if (this.pendingBytes === 0 || this.socket.destroyed) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.write(bytes);
    this.checkBacklog();
  }

  /**
   * A client that does not read is cut loose (a lost link) rather than grow our memory. Judged
   * after a write, when the kernel has taken what it can: only then is a backlog the client's.
   */
  private checkBacklog(): void {
    if (this.socket.destroyed || this.socket.writableLength <= this.maxBytes) return;
    this.cutLoose(this.socket.writableLength);
  }

  /** Something broke while writing to this connection: log it and drop the connection. */
  fail(err: unknown): void {
    this.log.error({ err, addr: this.address }, 'telnet output failed');
    this.stopped = true;
    this.socket.destroy();
  }

  private cutLoose(queued: number): void {
    this.log.warn({ addr: this.address, queued }, 'client not reading; disconnected');
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.destroy();
  }
}

// The connections with output waiting, written out together at the end of the turn.
const scheduleFlush = turnBatch<TelnetOutput>(
  (out) => out.flush(),
  (out, err) => out.fail(err),
);
