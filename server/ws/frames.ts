// The edge of the WebSocket door: one frame in, one validated ClientMessage out, or the reason it
// is not one. Nothing past this function sees unchecked input.
import type { RawData } from 'ws';
import { ClientMessage, MAX_LINE_BYTES, withinLineLimit } from '../../shared/protocol.js';

export type FrameErrorCode = 'binary_frame' | 'bad_json' | 'bad_message' | 'unknown_type' | 'too_long';

/**
 * No valid message comes near this size (a command's text is at most MAX_LINE_BYTES, six times
 * that if every character were written as a \u escape): a bigger frame is answered too_long
 * without being parsed at all. Frames up to the door's maxPayload (1 MiB) are read and answered.
 */
export const MAX_PARSED_FRAME_BYTES = 32 * 1024;

const TOO_LONG = `A command is at most ${MAX_LINE_BYTES} bytes; that one was not run.`;

export function frameBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

export type ParsedFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: FrameErrorCode; message: string };

/** The `type`s a client may send, read from the schema so the two never disagree. */
export const CLIENT_TYPES: readonly string[] = ClientMessage.options.map((o) => o.shape.type.value);
const KNOWN = new Set(CLIENT_TYPES);

// A reply quoting a hostile frame back must stay small.
const MAX_DETAIL = 300;

export function parseFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, code: 'binary_frame', message: 'Frames are JSON text; binary frames are not accepted.' };
  if (frameBytes(data) > MAX_PARSED_FRAME_BYTES) return { ok: false, code: 'too_long', message: TOO_LONG };
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: 'A frame must be one JSON object; this one is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_message', message: 'A frame must be one JSON object with a "type".' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, code: 'bad_message', message: `A frame needs a "type": one of ${CLIENT_TYPES.join(', ')}.` };
  }
  if (!KNOWN.has(type)) {
    return {
      ok: false,
      code: 'unknown_type',
      message: clip(`Unknown message type "${type}"; expected one of ${CLIENT_TYPES.join(', ')}.`),
    };
  }
  // Its own code, not bad_message: a client (a paste) can tell the player what to do about it.
  const commandText = (value as { text?: unknown }).text;
  if (type === 'command' && typeof commandText === 'string' && !withinLineLimit(commandText)) {
    return { ok: false, code: 'too_long', message: TOO_LONG };
  }
  const result = ClientMessage.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  return { ok: false, code: 'bad_message', message: clip(`Bad "${type}" message: ${problems.join('; ')}`) };
}

function clip(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL - 3)}...` : s;
}
