// `mythos serve` / `npm start`: run the server in the foreground until SIGINT/SIGTERM.
import { createLogger } from '../server/logger.js';
import { requestShutdown } from '../server/core/moderation.js';
import { startServer } from '../server/main.js';
import type { ServerOptions } from '../server/options.js';
import { WorldError } from '../server/world/load.js';

export async function serve(opts: ServerOptions): Promise<void> {
  const log = createLogger();
  let running;
  try {
    running = await startServer(opts, log);
  } catch (err) {
    const message = err instanceof WorldError ? err.message : `cannot start: ${(err as Error).message}`;
    log.fatal({ err }, message);
    process.stderr.write(`mythos: ${message}\n`);
    process.exit(1);
  }
  // These two lines are the contract: scripts and tests read the real ports from them.
  process.stdout.write(`telnet listening on ${opts.host}:${running.telnetPort}\n`);
  process.stdout.write(`websocket listening on ws://${opts.host}:${running.wsPort}/ws\n`);

  const stopNow = (signal: string) => {
    log.info({ signal }, 'signal received: stopping now');
    running.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // SIGTERM (a service manager, `kill`): the same countdown as `mythos admin shutdown`, then a
  // clean stop; a second SIGTERM stops at once. SIGINT (Ctrl+C at the terminal, which npm may
  // pass on twice) stops at once. Either way every player is told and every character saved.
  process.once('SIGINT', () => stopNow('SIGINT'));
  process.once('SIGTERM', () => {
    if (opts.shutdownGraceS <= 0) return stopNow('SIGTERM');
    log.info({ signal: 'SIGTERM', grace_s: opts.shutdownGraceS }, 'signal received: shutting down after the grace period');
    requestShutdown(running.game, opts.shutdownGraceS, 'signal:SIGTERM');
    process.once('SIGTERM', () => stopNow('SIGTERM'));
  });
  // A shutdown from the admin API or @shutdown ends the process the same way a signal does.
  running.stopped.then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
