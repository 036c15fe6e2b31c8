// The bottom line: connection state (with the seconds until the next try while reconnecting),
// the character's name and the round-trip time measured with `ping`.
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ConnectionStatus } from './client.js';

export interface StatusLineProps {
  connection: ConnectionStatus;
  name: string | null;
  rttMs: number | null;
  width: number;
  scrolled?: boolean;
}

/** Seconds left until `at`, rounded up, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export function connectionText(status: ConnectionStatus, now: number): { text: string; color: string } {
  switch (status.state) {
    case 'connected':
      return { text: 'connected', color: 'green' };
    case 'connecting':
      return { text: status.attempt > 0 ? 'reconnecting now...' : 'connecting...', color: 'yellow' };
    case 'reconnecting':
      return { text: `reconnecting in ${secondsUntil(status.retryAt, now)} s`, color: 'yellow' };
    case 'offline':
      return { text: `offline: ${status.reason}`, color: 'red' };
  }
}

/** Re-renders every second while a countdown is on screen. */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function StatusLine({ connection, name, rttMs, width, scrolled = false }: StatusLineProps) {
  const now = useNow(connection.state === 'reconnecting');
  const conn = connectionText(connection, now);
  const rtt = rttMs === null ? '' : `  rtt ${Math.round(rttMs)} ms`;
  const hint = scrolled ? '  PgDn/Esc: back to the bottom' : '  /help';
  return (
    <Text wrap="truncate-end">
      <Text color={conn.color}>{`[${conn.text}]`}</Text>
      {name && <Text bold>{`  ${name}`}</Text>}
      <Text dimColor>{rtt}</Text>
      <Text dimColor>{width >= 60 ? hint : ''}</Text>
    </Text>
  );
}
