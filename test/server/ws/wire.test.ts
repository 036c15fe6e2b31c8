import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { textFrames, textPayload } from '../../../server/ws/wire.js';

// ws's own frame reader, as a client uses it: an independent check of the frames we build.
// (@types/ws does not declare it, hence the narrow interface.)
type Receiver = Writable & { on(event: 'message', fn: (data: Buffer, isBinary: boolean) => void): Receiver };
const ReceiverClass = (ws as unknown as { Receiver: new (opts: { isServer: boolean }) => Receiver }).Receiver;

function read(buf: Buffer, chunk = buf.length): Promise<Array<{ text: string; isBinary: boolean }>> {
  const got: Array<{ text: string; isBinary: boolean }> = [];
  const receiver = new ReceiverClass({ isServer: false });
  receiver.on('message', (data, isBinary) => got.push({ text: data.toString('utf8'), isBinary }));
  return new Promise((resolve, reject) => {
    receiver.on('error', reject);
    for (let at = 0; at < buf.length; at += chunk) receiver.write(buf.subarray(at, at + chunk));
    receiver.end(() => resolve(got));
  });
}

describe('textFrames', () => {
  it('writes each text as one unmasked text frame, in order, for ws to read back', async () => {
    const texts = ['{"a":1}', '', 'Miskatonic — Ärger ☠ 𝔄', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), 'v'.repeat(200_000)];
    const got = await read(textFrames(texts.map(textPayload)));
    expect(got.map((m) => m.isBinary)).toEqual(texts.map(() => false));
    expect(got.map((m) => m.text)).toEqual(texts);
  });

  it('uses the shortest length form RFC 6455 allows', () => {
    expect([...textFrames([textPayload('hi')])]).toEqual([0x81, 2, 0x68, 0x69]);
    expect(textFrames([textPayload('x'.repeat(125))]).length).toBe(2 + 125);
    expect([...textFrames([textPayload('x'.repeat(126))]).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
    expect([...textFrames([textPayload('x'.repeat(65_536))]).subarray(0, 10)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('counts bytes, not characters, in the length', async () => {
    const text = '☠'.repeat(50); // 150 bytes of UTF-8 in 50 characters
    const buf = textFrames([textPayload(text)]);
    expect([...buf.subarray(0, 4)]).toEqual([0x81, 126, 0, 150]);
    expect((await read(buf, 7)).map((m) => m.text)).toEqual([text]);
  });

  it('writes a payload of pieces: texts, and numbers as their digits', async () => {
    const [open, close, closeT] = ['{"seq":', '}', ',"t":"☠"}'].map((text) => ({ text, bytes: Buffer.byteLength(text) }));
    const buf = textFrames([[open!, 0, close!], [open!, 1234567, closeT!]]);
    expect((await read(buf)).map((m) => m.text)).toEqual(['{"seq":0}', '{"seq":1234567,"t":"☠"}']);
    expect(() => textFrames([[-1]])).toThrow(RangeError);
  });

  it('makes an empty buffer of no texts', () => {
    expect(textFrames([]).length).toBe(0);
  });
});
