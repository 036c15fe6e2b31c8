// One structured logger for the server: one JSON line per event on stderr, so stdout stays for the
// "listening on" lines that scripts and tests read.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.MYTHOS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'mythos', level, base: { pid: process.pid } }, pino.destination(2));
}

/** A logger that drops everything: for unit tests that build the core without a server. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
