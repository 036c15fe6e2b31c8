// `mythos admin`'s side of the admin API: where the server is, which token, one request, and every
// failure turned into the one line a sysop needs (server not running, wrong token, no such player).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { TOKEN_FILE } from '../../server/admin/auth.js';
import { readServerFile } from '../../server/admin/server-file.js';
import { ErrorAnswer } from '../../server/admin/schemas.js';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:4001';
const TIMEOUT_MS = 30_000;

/** A failure with the line to print; the command exits non-zero with it. */
export class AdminError extends Error {}

export interface TargetOptions {
  url?: string | undefined;
  token?: string | undefined;
  dataDir?: string | undefined;
}

export interface Target {
  url: string;
  token: string;
}

/**
 * The server: --url / MYTHOS_ADMIN_URL, else the running server's DATA_DIR/server.json, else the
 * default port. The token: --token / MYTHOS_ADMIN_TOKEN / DATA_DIR/admin.token.
 */
export function resolveTarget(opts: TargetOptions, env: NodeJS.ProcessEnv = process.env): Target {
  const dir = opts.dataDir ?? env.MYTHOS_DATA_DIR ?? './data';
  const rawUrl = opts.url ?? env.MYTHOS_ADMIN_URL ?? readServerFile(dir)?.admin_url ?? DEFAULT_ADMIN_URL;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new AdminError(`not a URL: ${rawUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AdminError(`the admin URL must be http:// or https://, not ${rawUrl}`);
  const base = url.href.replace(/\/+$/, '');

  // --token first; an explicit --data-dir is more specific than the environment, so it wins
  // over MYTHOS_ADMIN_TOKEN; without either, MYTHOS_DATA_DIR (or ./data) holds the token file.
  const explicit = opts.token?.trim() || (opts.dataDir === undefined ? env.MYTHOS_ADMIN_TOKEN?.trim() : undefined);
  if (explicit) return { url: base, token: explicit };
  const file = join(dir, TOKEN_FILE);
  let token = '';
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new AdminError(`no admin token: pass --token, set MYTHOS_ADMIN_TOKEN, or --data-dir DIR (${file}: ${why})`);
  }
  if (!token) throw new AdminError(`no admin token: ${file} is empty`);
  return { url: base, token };
}

export interface Answer {
  status: number;
  body: unknown;
}

export class AdminClient {
  constructor(private readonly target: Target) {}

  /** Sends one request; resolves with a 2xx answer, or throws an AdminError with the line to print. */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const { url, token } = this.target;
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new AdminError(`the server at ${url} did not answer in time`);
      throw new AdminError(`server not running at ${url}`);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status === 401) throw new AdminError('wrong admin token');
    if (res.status === 429) throw new AdminError('too many failed attempts from this address; wait and try again');
    if (res.ok && parsed !== undefined) return { status: res.status, body: parsed };
    const error = ErrorAnswer.safeParse(parsed);
    if (error.success) throw new AdminError(error.data.message);
    throw new AdminError(`unexpected answer from ${url}${path} (HTTP ${res.status}): is this a MythosMUD server?`);
  }

  /** A request whose answer must match `schema`: anything else is reported, not printed half. */
  async fetchAs<S extends z.ZodType>(schema: S, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ raw: unknown; value: z.infer<S> }> {
    const answer = await this.request(method, path, body);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new AdminError(`unexpected answer from ${this.target.url}${path}: is this a MythosMUD server of this version?`);
    return { raw: answer.body, value: parsed.data };
  }
}
