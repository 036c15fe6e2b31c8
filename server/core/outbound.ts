// One event on its way out: the envelope minus its sequence number, shared by every recipient.
// The sequence number differs per connection, so the JSON is kept as the text before and after it
// and each recipient costs one string concatenation, not one JSON.stringify.
import type { Envelope, EventDataOf, EventType } from '../../shared/protocol.js';
import type { ReplayLog, Stored } from './replay-log.js';

/** A text and its length in UTF-8 bytes. */
export interface TextPiece {
  readonly text: string;
  readonly bytes: number;
}

export class Outbound<T extends EventType = EventType> {
  readonly timestamp: string;
  /** performance.now() at creation: the start of the delivery-time measurement. */
  readonly createdAt: number;
  private head: string | undefined;
  private tail: string | undefined;
  private parts: readonly [TextPiece, TextPiece] | undefined;
  private memos: Map<string, unknown> | undefined;
  /** Where the replay log holds this event: stored once, for every session that keeps it. */
  private stored: Stored | null | undefined;
  /** The doors this event has been delivered on (bit 1 telnet, bit 2 WebSocket), for the metrics. */
  private deliveredOn = 0;

  constructor(
    readonly eventType: T,
    readonly roomId: string | null,
    readonly playerId: string | null,
    readonly data: EventDataOf<T>,
    timestamp?: string,
  ) {
    this.timestamp = timestamp ?? new Date().toISOString();
    this.createdAt = performance.now();
  }

  /** An event as it was sent (for a replay from the log): the same envelope, timestamp included. */
  static restore(json: string): Outbound {
    const env = JSON.parse(json) as Envelope;
    return new Outbound(env.event_type, env.room_id, env.player_id, env.data, env.timestamp);
  }

  /** True the first time it is asked for `door`: the metrics time one delivery per event per door. */
  firstDeliveryOn(door: 'telnet' | 'ws'): boolean {
    const bit = door === 'telnet' ? 1 : 2;
    if (this.deliveredOn & bit) return false;
    this.deliveredOn |= bit;
    return true;
  }

  /** This event's place in the replay log, appended at the first call; null if too big to keep. */
  storeIn(log: ReplayLog): Stored | null {
    if (this.stored === undefined) {
      const [head, tail] = this.jsonParts();
      this.stored = log.append(head, tail);
    }
    return this.stored;
  }

  envelope(seq: number): Envelope {
    return {
      event_type: this.eventType,
      timestamp: this.timestamp,
      sequence_number: seq,
      room_id: this.roomId,
      player_id: this.playerId,
      data: this.data,
    } as Envelope;
  }

  json(seq: number): string {
    if (this.head === undefined || this.tail === undefined) {
      this.head = `{"event_type":${JSON.stringify(this.eventType)},"timestamp":"${this.timestamp}","sequence_number":`;
      this.tail = `,"room_id":${JSON.stringify(this.roomId)},"player_id":${JSON.stringify(this.playerId)},"data":${JSON.stringify(this.data)}}`;
    }
    return this.head + seq + this.tail;
  }

  /**
   * The JSON's text before and after the sequence number, each with its UTF-8 length, worked out
   * once: a WebSocket recipient then costs one transcoding straight into its frame (ws/wire.ts),
   * not a concatenation and a length scan as well.
   */
  jsonParts(): readonly [TextPiece, TextPiece] {
    if (this.parts === undefined) {
      this.json(0);
      this.parts = [
        { text: this.head!, bytes: Buffer.byteLength(this.head!) },
        { text: this.tail!, bytes: Buffer.byteLength(this.tail!) },
      ];
    }
    return this.parts;
  }

  /** A door's rendering of this event, computed once for all its recipients (e.g. telnet text). */
  memo<V>(key: string, make: () => V): V {
    this.memos ??= new Map();
    if (this.memos.has(key)) return this.memos.get(key) as V;
    const value = make();
    this.memos.set(key, value);
    return value;
  }
}
