// `mythos serve` on glibc restarts itself in place with MALLOC_ARENA_MAX=1 (bin/one-malloc-arena.js):
// the same process, its output still reaching the pipes it was started with, one malloc arena.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';

const glibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

function environ(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** glibc's per-thread arenas: each reserves 64 MiB, an rw-p part followed by a ---p part. */
function threadArenas(pid: number): number {
  let count = 0;
  let prev: { start: bigint; end: bigint; perm: string } | null = null;
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n')) {
    const [range, perm, , , , path] = line.trim().split(/\s+/);
    const [start, end] = range!.split('-').map((h) => BigInt(`0x${h}`)) as [bigint, bigint];
    if (perm === '---p' && !path && prev && prev.perm === 'rw-p' && prev.end === start && end - prev.start === 64n << 20n) count++;
    prev = { start, end, perm: perm! };
  }
  return count;
}

describe.runIf(glibc)('mythos serve: one malloc arena', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
    server = undefined;
  });

  it('restarts itself with MALLOC_ARENA_MAX=1 and plays as before', async () => {
    server = await startServer({ env: { MALLOC_ARENA_MAX: undefined } });
    const pid = server.proc.pid!;
    expect(environ(pid)).toContain('MALLOC_ARENA_MAX=1');
    // Its log still reaches the stderr it was started with, and a player can play.
    expect(server.stderr()).toMatch(/world loaded/);
    const p = await telnetLogin(server.telnetPort, 'armitage');
    p.send('say the stars are right');
    await p.waitFor('You say, "the stars are right"');
    // A login has run the GC's helper threads; none of them got an arena of its own.
    expect(threadArenas(pid)).toBe(0);
    p.close();
  });

  it("keeps a sysop's own MALLOC_ARENA_MAX", async () => {
    server = await startServer({ env: { MALLOC_ARENA_MAX: '4' } });
    const env = environ(server.proc.pid!);
    expect(env).toContain('MALLOC_ARENA_MAX=4');
    expect(env).not.toContain('MALLOC_ARENA_MAX=1');
  });
});
