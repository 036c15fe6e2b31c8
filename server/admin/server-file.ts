// DATA_DIR/server.json: where a running server listens, so `mythos admin` on the same machine finds
// it from the data directory alone, as it finds the token. Written once the doors listen (mode
// 0600, like the token), removed on a clean stop; a file left by a killed server names a process
// that is gone, and is ignored.
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SERVER_FILE = 'server.json';

export const ServerFile = z.object({
  pid: z.number().int().positive(),
  /** What `mythos admin` talks to: the HTTP (and WebSocket) port. */
  admin_url: z.string(),
  websocket_url: z.string(),
  telnet: z.object({ host: z.string(), port: z.number().int() }),
  started_at: z.string(),
});
export type ServerFile = z.infer<typeof ServerFile>;

/** A listening address as a client on this machine reaches it: "any address" is loopback. */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function serverFileFor(opts: { host: string; telnetPort: number; wsPort: number; pid?: number }): ServerFile {
  const host = reachableHost(opts.host);
  return {
    pid: opts.pid ?? process.pid,
    admin_url: `http://${host}:${opts.wsPort}`,
    websocket_url: `ws://${host}:${opts.wsPort}/ws`,
    telnet: { host: opts.host, port: opts.telnetPort },
    started_at: new Date().toISOString(),
  };
}

export function writeServerFile(dataDir: string, info: ServerFile): string {
  const file = join(dataDir, SERVER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  // Written whole and renamed into place: a reader never sees half a file.
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

/** Removes the file if it is this process's (a second server on the same directory keeps its own). */
export function removeServerFile(dataDir: string, pid = process.pid): void {
  if (readServerFile(dataDir, () => true)?.pid === pid) rmSync(join(dataDir, SERVER_FILE), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running server's file in `dataDir`, or null (none, unreadable, or its process is gone). */
export function readServerFile(dataDir: string, alive: (pid: number) => boolean = processAlive): ServerFile | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, SERVER_FILE), 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ServerFile.safeParse(value);
  return parsed.success && alive(parsed.data.pid) ? parsed.data : null;
}
