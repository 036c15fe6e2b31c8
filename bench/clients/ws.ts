// A load-generator WebSocket player, to PROTOCOL.md section 4: a `register` or `login` frame, then
// `command` frames; every server frame is an envelope. Frames are read with a cheap look at their
// event type first, so the big room_occupants lists no scenario needs are never parsed. The
// arrival time is taken when the bytes reach the socket, before any parsing (see ws-socket.ts).
import { ClientMessage, Envelope } from '../../shared/protocol.js';
import { directionWord, LoginError, PlayerState, type BenchPlayer, type LoginMode } from './player.js';
import { RawWebSocket } from './ws-socket.js';

const SKIP_PREFIX = Buffer.from('{"event_type":"room_occupants"');
const LEFT = '{"event_type":"player_left"';
const ENTERED = '{"event_type":"player_entered"';

export class WsPlayer extends PlayerState implements BenchPlayer {
  readonly door = 'ws' as const;
  /** Frames that were not JSON envelopes: a protocol problem worth reporting. */
  badFrames = 0;
  private inGame = false;
  private authError: string | null = null;

  private ws: RawWebSocket | null = null;

  private constructor(readonly shown: string) {
    super();
  }

  static async login(
    url: string,
    name: { login: string; shown: string },
    password: string,
    mode: LoginMode,
    timeoutMs: number,
  ): Promise<WsPlayer> {
    const player = new WsPlayer(name.shown);
    try {
      player.ws = await RawWebSocket.open(
        url,
        {
          message: (data, isBinary, t) => player.onFrame(data, isBinary, t),
          close: () => player.markClosed(),
        },
        timeoutMs,
      );
      player.send(mode === 'register' ? { type: 'register', name: name.login, password } : { type: 'login', name: name.login, password });
      const ok = await player.changed.until(() => player.inGame || player.authError !== null || player.closed, timeoutMs);
      if (player.authError !== null) throw new Error(player.authError);
      if (!player.inGame) throw new Error(ok ? 'closed during login' : 'no game_state after the login frame');
      return player;
    } catch (err) {
      player.close();
      throw new LoginError(name.shown, (err as Error).message);
    }
  }

  /** Does this URL answer a `ping` with a `pong`? (Tells whether the WebSocket door is there.) */
  static async available(url: string, timeoutMs: number): Promise<string | null> {
    let ws: RawWebSocket | null = null;
    try {
      return await new Promise<string | null>((resolve) => {
        const t = setTimeout(() => resolve('no pong in time'), timeoutMs);
        RawWebSocket.open(
          url,
          {
            message: (data) => {
              const parsed = Envelope.safeParse(safeJson(data.toString('utf8')));
              if (parsed.success && parsed.data.event_type === 'pong') {
                clearTimeout(t);
                resolve(null);
              }
            },
            close: () => {},
          },
          timeoutMs,
        ).then(
          (opened) => {
            ws = opened;
            opened.send(JSON.stringify({ type: 'ping', id: 'bench' }));
          },
          (err: Error) => {
            clearTimeout(t);
            resolve(err.message);
          },
        );
      });
    } finally {
      (ws as RawWebSocket | null)?.terminate();
    }
  }

  command(text: string): number {
    const t = performance.now();
    this.send({ type: 'command', text });
    return t;
  }

  close(): void {
    this.ws?.terminate();
  }

  private send(msg: ClientMessage): void {
    this.ws?.send(JSON.stringify(msg));
  }

  private onFrame(data: Buffer, isBinary: boolean, t: number): void {
    this.lastRx = t;
    if (isBinary) {
      this.badFrames++;
      return;
    }
    if (data.length >= SKIP_PREFIX.length && data.subarray(0, SKIP_PREFIX.length).equals(SKIP_PREFIX)) return;
    if (!this.inGame) return this.onLoginFrame(data);
    const text = data.toString('utf8');
    // The hot path, a mover's departure and arrival (travel sees tens of thousands a second): their
    // few fields are picked out of the text rather than parsing the whole envelope. Trusted to be
    // our server's envelope; a field that is not there gives null, which the scenario counts.
    if (text.startsWith(LEFT)) {
      return this.onEvent({ kind: 'leave', who: stringField(text, 'player_name') ?? '', dir: directionWord(stringField(text, 'to')), roomId: stringField(text, 'room_id'), t });
    }
    if (text.startsWith(ENTERED)) {
      return this.onEvent({ kind: 'enter', who: stringField(text, 'player_name') ?? '', dir: directionWord(stringField(text, 'from')), roomId: stringField(text, 'room_id'), t });
    }
    let env: Envelope;
    try {
      env = JSON.parse(text) as Envelope;
    } catch {
      this.badFrames++;
      return;
    }
    switch (env.event_type) {
      case 'message':
        if (env.data.channel === 'say' && env.data.from) this.onEvent({ kind: 'say', from: env.data.from.name, text: env.data.text, t });
        return;
      case 'room_update':
        return this.onEvent({ kind: 'room', roomId: env.data.room.id, t });
      case 'error':
        return this.onEvent({ kind: 'refused', text: env.data.message, t });
      case 'command_output':
        if (/^(You cannot go|Huh\?|Something went wrong)/.test(env.data.text)) this.onEvent({ kind: 'refused', text: env.data.text, t });
        return;
      default:
        return;
    }
  }

  private onLoginFrame(data: Buffer): void {
    const parsed = Envelope.safeParse(safeJson(data.toString('utf8')));
    if (!parsed.success) {
      this.badFrames++;
      return;
    }
    const env = parsed.data;
    if (env.event_type === 'auth_error') this.authError = env.data.reason;
    else if (env.event_type === 'error') this.authError = `${env.data.code}: ${env.data.message}`;
    else if (env.event_type === 'game_state') this.inGame = true;
    this.changed.poke();
  }
}

/**
 * The value of `"key":"..."` in an envelope's JSON, for fields that hold plain names (player
 * names, directions, room ids: no escapes). A quote inside a JSON string is always escaped, so
 * `"key":"` can only be the key itself.
 */
export function stringField(json: string, key: string): string | null {
  const mark = `"${key}":"`;
  const at = json.indexOf(mark);
  if (at < 0) return null;
  const from = at + mark.length;
  const end = json.indexOf('"', from);
  return end < 0 ? null : json.slice(from, end);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
