// One event on its way out: the envelope minus its sequence number, shared by every recipient.
// The sequence number differs per connection, so the JSON is kept as the text before and after it
// and each recipient costs one string concatenation, not one JSON.stringify.
import type { Envelope, EventDataOf, EventType } from '../../shared/protocol.js';

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
  /** The event's data, until the event is sealed (sealAfterFanOut); then only its JSON is kept. */
  private live: EventDataOf<T> | undefined;
  private sealing = false;

  constructor(
    readonly eventType: T,
    readonly roomId: string | null,
    readonly playerId: string | null,
    data: EventDataOf<T>,
  ) {
    this.live = data;
    this.timestamp = new Date().toISOString();
    this.createdAt = performance.now();
  }

  get data(): EventDataOf<T> {
    return this.live ?? (JSON.parse(this.json(0)) as { data: EventDataOf<T> }).data;
  }

  /**
   * For whatever keeps this event after its fan-out (a session's replay buffer): once the fan-out
   * in progress is over (a microtask: the bridge delivers to every recipient synchronously), the
   * event keeps only its JSON text, not the data's objects and the doors' renderings. An event
   * kept for replay lives through many young-generation GCs, and each one copies everything the
   * event holds: in the travel benchmark those copies were most of a scavenge's pause.
   */
  sealAfterFanOut(): void {
    if (this.sealing) return;
    this.sealing = true;
    queueMicrotask(() => {
      this.jsonParts();
      this.live = undefined;
      this.memos = undefined;
    });
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
   * not a concatenation and a length scan as well. Not encoded Buffers: an event lives on in
   * replay buffers, and small Buffers kept that long pinned malloc's memory (1000 idle players
   * cost 31-45 KB of RSS each instead of 14-20).
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

  /** The length of this event's JSON (for the replay buffer's budget); builds it if need be. */
  get jsonBytes(): number {
    if (this.head === undefined) this.json(0);
    return this.head!.length + this.tail!.length + 8;
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
