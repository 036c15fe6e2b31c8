// A WebSocket client for the tests, written from PROTOCOL.md section 4 alone: every frame it gets
// is parsed with the shared Envelope schema and its sequence number checked (+1 per frame), and any
// problem is kept so a test can assert there were none.
import { WebSocket, type ClientOptions } from 'ws';
import { Envelope, type ClientMessage, type EnvelopeOf, type EventType } from '../../shared/protocol.js';

export class WsClient {
  readonly ws: WebSocket;
  readonly frames: Envelope[] = [];
  readonly problems: string[] = [];
  closed = false;
  closeCode: number | null = null;
  closeReason = '';
  private readIndex = 0;
  /** The sequence number due next; null: whatever comes next starts the count. */
  private expectSeq: number | null = 1;
  private waiters: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => this.onFrame(data.toString(), isBinary));
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      this.wake();
    });
    ws.on('error', () => {});
  }

  static async connect(url: string, opts: ClientOptions = {}): Promise<WsClient> {
    const ws = new WebSocket(url, opts);
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  private onFrame(text: string, isBinary: boolean): void {
    if (isBinary) this.problems.push('binary frame from the server');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const parsed = Envelope.safeParse(value);
    if (!parsed.success) {
      this.problems.push(`not an envelope: ${text.slice(0, 200)}: ${parsed.error.message}`);
      return;
    }
    const keys = Object.keys(value as object).sort().join(',');
    if (keys !== 'data,event_type,player_id,room_id,sequence_number,timestamp') this.problems.push(`envelope fields: ${keys}`);
    const env = parsed.data;
    if (this.expectSeq !== null && env.sequence_number !== this.expectSeq) {
      this.problems.push(`sequence ${env.sequence_number} where ${this.expectSeq} was due (${env.event_type})`);
    }
    this.expectSeq = env.sequence_number + 1;
    this.frames.push(env);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /**
   * A resumed connection continues the old one's numbering: the next frame is due at `seq` (null
   * when the server may skip ahead, as when a resume falls back to a fresh game_state).
   */
  expectNext(seq: number | null): void {
    this.expectSeq = seq;
  }

  /** The last sequence number received (0 before any frame). */
  get lastSequence(): number {
    return this.frames.at(-1)?.sequence_number ?? 0;
  }

  send(msg: ClientMessage): void {
    this.ws.send(JSON.stringify(msg));
  }

  sendRaw(data: string | Buffer, opts: { binary?: boolean } = {}): void {
    this.ws.send(data, { binary: opts.binary ?? false });
  }

  command(text: string): void {
    this.send({ type: 'command', text });
  }

  /** Frames received after the last successful wait (or from the start). */
  get unread(): Envelope[] {
    return this.frames.slice(this.readIndex);
  }

  /** Waits for the next unread frame of `type` matching `pred`; consumes up to it. */
  async waitFor<T extends EventType>(
    type: T,
    pred: (e: EnvelopeOf<T>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<EnvelopeOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.readIndex; i < this.frames.length; i++) {
        const e = this.frames[i]!;
        if (e.event_type === type && pred(e as EnvelopeOf<T>)) {
          this.readIndex = i + 1;
          return e as EnvelopeOf<T>;
        }
      }
      const pending = this.unread.map((e) => `${e.sequence_number} ${e.event_type} ${JSON.stringify(e.data).slice(0, 120)}`);
      if (this.closed) throw new Error(`closed (${this.closeCode}) while waiting for ${type}; unread:\n${pending.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type}; unread:\n${pending.join('\n')}`);
      await this.sleepUntilWoken(left);
    }
  }

  /** Waits for a `message` event whose telnet line matches. */
  waitForMessage(pattern: RegExp | string, timeoutMs = 10_000): Promise<EnvelopeOf<'message'>> {
    const test = (s: string) => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
    return this.waitFor('message', (e) => test(e.data.message), timeoutMs);
  }

  async waitClosed(timeoutMs = 10_000): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('connection did not close');
      await this.sleepUntilWoken(left);
    }
    return this.closeCode;
  }

  /** A ping with a fresh id, answered by its pong. */
  async ping(id: string | number = `p${Math.random().toString(36).slice(2)}`): Promise<EnvelopeOf<'pong'>> {
    this.send({ type: 'ping', id });
    return this.waitFor('pong', (e) => e.data.id === id);
  }

  private sleepUntilWoken(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** A clean close, without `quit`: to the server, a lost link. */
  close(): void {
    this.ws.close();
  }

  /** The link drops: no closing handshake. */
  drop(): void {
    this.ws.terminate();
  }
}

export interface WsPlayer {
  client: WsClient;
  authOk: EnvelopeOf<'auth_ok'>;
  gameState: EnvelopeOf<'game_state'>;
}

/** Registers `name` (or logs in with `login: true`) and waits for auth_ok and game_state. */
export async function wsEnter(
  url: string,
  name: string,
  opts: { password?: string; login?: boolean; client?: WsClient } = {},
): Promise<WsPlayer> {
  const client = opts.client ?? (await WsClient.connect(url));
  client.send({ type: opts.login ? 'login' : 'register', name, password: opts.password ?? 'secret-pass' });
  const authOk = await client.waitFor('auth_ok');
  const gameState = await client.waitFor('game_state');
  return { client, authOk, gameState };
}
