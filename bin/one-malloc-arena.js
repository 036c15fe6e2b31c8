// `mythos serve` on glibc restarts itself in place, once, with MALLOC_ARENA_MAX=1, before it loads
// anything else. Same process id, same arguments and environment plus that one variable: execve
// replaces the program without a parent left behind to hold memory or forward signals.
//
// Why: glibc gives each thread that allocates (V8's GC and compiler helpers, the SQLite checkpoint
// thread) an arena of its own, and malloc_trim (server/malloc-trim.ts) can give back the top of the
// main arena only. Over 10,000 logins and quits, four such arenas grew to 1.2-1.7 MB each and kept
// it. In the churn benchmark RSS grew 3.0-8.7 % in five runs with the default arenas and 1.7-7.3 %
// in five with one. In the last two of those, what grew was V8's committed pages (1.3-1.6 MB), the
// main arena (0.7-2.2 MB) and other anonymous memory (1.2-1.8 MB). In paired travel runs the server's
// CPU per move was no higher with one arena.
//
// A sysop who sets MALLOC_ARENA_MAX (to anything) keeps their value; off glibc, or without koffi's
// binary, or if execve fails, the server simply runs on as it is.
import { createRequire } from 'node:module';

if (process.argv[2] === 'serve' && process.platform === 'linux' && process.env.MALLOC_ARENA_MAX === undefined) {
  try {
    const koffi = createRequire(import.meta.url)('koffi');
    const libc = koffi.load('libc.so.6');
    const fcntl = libc.func('int fcntl(int fd, int cmd, int arg)');
    const execve = libc.func('int execve(const char *path, const char **argv, const char **envp)');
    const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
    const env = Object.entries({ ...process.env, MALLOC_ARENA_MAX: '1' }).map(([k, v]) => `${k}=${v}`);
    // Node marks stdin, stdout and stderr close-on-exec at start-up; the new program must keep them.
    const F_SETFD = 2;
    for (const fd of [0, 1, 2]) fcntl(fd, F_SETFD, 0);
    // Returns only when it failed.
    execve(process.execPath, [...argv, null], [...env, null]);
  } catch {
    // No glibc or no koffi here: the default arenas.
  }
}
