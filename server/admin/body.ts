// Reads a JSON request body with a size limit and checks it against a zod schema. A bad body gets
// a 400 naming the field and the problem; the handler only ever sees a valid value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendJson } from '../http.js';
import { describeIssues } from './schemas.js';

export const MAX_BODY_BYTES = 16 * 1024;

type Read = { ok: true; text: string } | { ok: false; status: number; message: string };

function readText(req: IncomingMessage, limit: number): Promise<Read> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: Read) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        // Stop reading: the connection is closed after the answer instead of draining the rest.
        req.pause();
        return finish({ ok: false, status: 413, message: `the body is larger than ${limit} bytes` });
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, message: 'the request body could not be read' }));
    req.on('aborted', () => finish({ ok: false, status: 400, message: 'the request body was cut off' }));
  });
}

/** The parsed body, or undefined after answering 400/413 itself. An empty body reads as `{}`. */
export async function readBody<S extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: S,
  limit = MAX_BODY_BYTES,
): Promise<z.infer<S> | undefined> {
  const read = await readText(req, limit);
  if (!read.ok) {
    if (read.status === 413) res.setHeader('connection', 'close');
    sendJson(res, read.status, { error: read.status === 413 ? 'too_large' : 'bad_request', message: read.message });
    if (read.status === 413) res.once('finish', () => req.destroy());
    return undefined;
  }
  let value: unknown = {};
  if (read.text.trim()) {
    try {
      value = JSON.parse(read.text);
    } catch {
      sendJson(res, 400, { error: 'bad_request', message: 'the body is not valid JSON' });
      return undefined;
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    sendJson(res, 400, { error: 'bad_request', message: describeIssues(parsed.error) });
    return undefined;
  }
  return parsed.data;
}
