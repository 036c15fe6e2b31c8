// Human-readable output of `mythos admin`: aligned tables and short durations.
import type { AccountRow, PlayerRow, StatusAnswer } from '../../server/admin/schemas.js';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatStatus(s: StatusAnswer): string {
  const doors = Object.entries(s.connections)
    .map(([door, n]) => `${door} ${n}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['uptime', duration(s.uptime_s)],
    ['players online', String(s.players_online)],
    ['connections', doors || 'none'],
    ['memory', `${megabytes(s.memory.rss_bytes)} resident, ${megabytes(s.memory.heap_used_bytes)} heap used`],
    ['events/second', String(s.events_per_second)],
  ];
  if (s.closing) rows.push(['shutting down', s.shutdown_in_s === null ? 'yes' : `in ${duration(s.shutdown_in_s)}`]);
  if (s.last_reload) rows.push(['last reload', `${s.last_reload.at} by ${s.last_reload.by}: ${s.last_reload.message}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function formatPlayers(players: PlayerRow[]): string {
  if (players.length === 0) return 'Nobody is online.';
  const rows = players.map((p) => [
    p.name + (p.role === 'admin' ? ' (admin)' : ''),
    `${p.room_name} [${p.room_id}]`,
    p.door ?? '-',
    p.address ?? '-',
    p.status,
    duration(p.idle_s),
    duration(p.online_s),
  ]);
  const count = players.length === 1 ? '1 player online' : `${players.length} players online`;
  return `${table(['NAME', 'ROOM', 'DOOR', 'ADDRESS', 'STATUS', 'IDLE', 'ON FOR'], rows)}\n${count}`;
}

export function formatAccounts(accounts: AccountRow[]): string {
  if (accounts.length === 0) return 'No accounts yet.';
  const rows = accounts.map((a) => [
    a.name,
    a.role,
    a.online ? 'online' : '',
    a.created_at.slice(0, 16).replace('T', ' '),
    a.last_login_at ? a.last_login_at.slice(0, 16).replace('T', ' ') : 'never',
    a.banned ? `banned${a.ban_reason ? `: ${a.ban_reason}` : ''}` : '',
  ]);
  return `${table(['NAME', 'ROLE', 'ONLINE', 'CREATED', 'LAST LOGIN', 'BAN'], rows)}\n${accounts.length} account${accounts.length === 1 ? '' : 's'}`;
}
