// One event on its way out: the envelope minus its sequence number, shared by every recipient.
// The sequence number differs per connection, so the JSON is kept as the text before and after it
// and each recipient costs one string concatenation, not one JSON.stringify.
import type { Envelope, EventDataOf, EventType } from '../../shared/protocol.js';

export class Outbound<T extends EventType = EventType> {
  readonly timestamp: string;
  /** performance.now() at creation: the start of the delivery-time measurement. */
  readonly createdAt: number;
  private head: string | undefined;
  private tail: string | undefined;
  private utf8: readonly [Buffer, Buffer] | undefined;
  private memos: Map<string, unknown> | undefined;

  constructor(
    readonly eventType: T,
    readonly roomId: string | null,
    readonly playerId: string | null,
    readonly data: EventDataOf<T>,
  ) {
    this.timestamp = new Date().toISOString();
    this.createdAt = performance.now();
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
   * The JSON's UTF-8 bytes before and after the sequence number, encoded once: a WebSocket
   * recipient then costs two copies and a number's digits (ws/wire.ts), not a transcoding.
   */
  jsonBuffers(): readonly [Buffer, Buffer] {
    if (this.utf8 === undefined) {
      this.json(0);
      this.utf8 = [Buffer.from(this.head!, 'utf8'), Buffer.from(this.tail!, 'utf8')];
    }
    return this.utf8;
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
