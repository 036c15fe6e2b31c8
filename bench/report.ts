// The benchmark's output: readable tables per scenario, the JSON file in bench/results/, and one
// closing line per target saying whether it holds, with the measured value and the bound.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from './orchestrator.js';
import type { FanoutSummary } from './scenarios/common.js';
import type { SayPhase } from './scenarios/crowd.js';
import type { MemorySide } from './scenarios/memory.js';
import type { Stalls } from './stalls.js';
import type { LatencySummary } from './stats.js';
import { checkTargets, type TargetCheck } from './targets.js';

const n2 = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const lat = (s: LatencySummary | null | undefined) => (s && s.count ? `${n2(s.p50)} / ${n2(s.p99)} / ${n2(s.max)}` : '-');
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '-' : (bytes / 1024 / 1024).toFixed(1));
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}x`;
const rx = (f: FanoutSummary | null | undefined) => (f ? `${f.receptions.received}/${f.receptions.expected}` : '-');

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderReport(report: BenchReport, targets: TargetCheck[] = checkTargets(report)): string {
  const m = report.machine;
  const parts: string[] = [];
  parts.push(
    `MythosMUD benchmark (${report.options.preset}) ${report.startedAt}, ${n2(report.seconds / 60, 1)} min`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${m.totalMemMb} MB, ${m.platform}, node ${m.node}; load average ${m.loadavgStart.join(' ')} at start, ${m.loadavgEnd.join(' ')} at end`,
    `doors asked: ${report.options.doors}; times are write-to-arrival on the load generator's clock, ms (p50 / p99 / max)`,
  );

  for (const run of report.runs) {
    parts.push('');
    const head = `${run.name}${run.doors ? ` [doors: ${run.doors}]` : ''} (${n2(run.seconds, 0)} s)`;
    if (!run.ok || !run.data) {
      parts.push(`${head}: FAILED\n  ${(run.error ?? 'no result').split('\n').slice(0, 12).join('\n  ')}`);
      continue;
    }
    parts.push(head);
    const d = run.data;
    switch (d.scenario) {
      case 'crowd': {
        const sizes = d.result.sizes;
        parts.push(
          table(
            ['players', 'bare CPU/say', 'game CPU/say', 'ratio', 'bare p50/p99/max', 'game p50/p99/max', 'p99 ratio', 'missed'],
            sizes.map((s) => [
              String(s.players),
              n2(s.bare?.cpuMsPerSay),
              n2(s.game?.cpuMsPerSay),
              ratio(s.game?.cpuMsPerSay, s.bare?.cpuMsPerSay),
              lat(s.bare?.latency),
              lat(s.game?.latency),
              ratio(s.game?.latency.p99, s.bare?.latency.p99),
              String((s.game?.receptions.missed ?? 0) + (s.bare?.receptions.missed ?? 0)),
            ]),
          ),
          '',
          table(
            ['players', 'game telnet p99', 'game ws p99', 'received game', 'received bare', 'enter notice p50/p99/max', 'leave notice p99', 'loadgen CPU/say', 'registration s'],
            sizes.map((s) => [
              String(s.players),
              n2(s.game?.byDoor.telnet?.p99),
              n2(s.game?.byDoor.ws?.p99),
              rx(s.game),
              rx(s.bare),
              lat(s.enter?.latency),
              n2(s.leave?.latency.p99),
              n2(s.game?.loadgenCpuMsPerSay),
              n2(s.loginSeconds, 1),
            ]),
          ),
        );
        const first = sizes.find((s) => s.game);
        if (first?.game) parts.push(`  ${first.game.says} says per size, ${first.game.pacing}; server CPU from ${first.game.cpuSource}; CPU and times in ms; registration s: time to log the newcomers in`);
        for (const s of sizes) if (s.loginFailures.length) parts.push(`  ${s.players}: ${s.loginFailures.length} logins failed, e.g. ${s.loginFailures[0]}`);
        for (const s of sizes) if (!s.settled) parts.push(`  ${s.players}: the room was still busy 60 s after the last login when the says began`);
        break;
      }
      case 'travel': {
        const t = d.result;
        parts.push(
          table(
            ['players', 'rooms', 'seconds', 'moves', 'notices', 'missed', 'notice p50/p99/max', 'departure p99', 'arrival p99', 'own view p50/p99', 'server CPU', 'loadgen CPU'],
            [[
              String(t.players), String(t.rooms), n2(t.durationS, 1), String(t.moves),
              `${t.receptions.received}/${t.receptions.expected}`, String(t.receptions.missed), lat(t.notice),
              n2(t.departure.p99), n2(t.arrival.p99), `${n2(t.moveConfirm.p50)} / ${n2(t.moveConfirm.p99)}`,
              `${n2(t.serverCpuPercent, 0)} % (${n2(t.serverCpuMsPerMove, 3)} ms/move)`, `${n2(t.loadgenCpuPercent, 0)} %`,
            ]],
          ),
        );
        const stalls = (s: Stalls | null) =>
          s
            ? `event loop late p50/p99/max ${n2(s.loopP50)} / ${n2(s.loopP99)} / ${n2(s.loopMax)} ms, ${s.gcCount} GC pauses (${n2(s.gcTotal, 0)} ms${longest(s.gcMax)}; ${s.scavengeCount} of them scavenges: ${n2(s.scavengeTotal, 0)} ms${longest(s.scavengeMax)})`
            : 'n/a';
        if (t.bare) {
          const b = t.bare;
          parts.push(
            `  the same walk on the bare fanout server: ${b.moves} moves, ${b.notice.count} notices, p50/p99/max ${lat(b.notice)}; bare CPU ${n2(b.serverCpuPercent, 0)} % (${n2(b.serverCpuMsPerMove, 3)} ms/move), loadgen ${n2(b.loadgenCpuPercent, 0)} %; game p99 ${ratio(t.notice.p99, b.notice.p99)} the bare p99`,
          );
        }
        parts.push(`  during the moves: server ${stalls(t.serverStalls)}`);
        parts.push(`                    load generator ${stalls(t.loadgenStalls)}`);
        parts.push(`  spread over the world in ${n2(t.spreadSeconds, 1)} s; ${t.refused} moves refused, ${t.unconfirmed} unconfirmed, ${t.closed} connections closed; ${t.receptions.unexpected} notices at observers racing with the move (not counted)`);
        if (t.receptions.missed) parts.push(`  missed: ${t.missedLate} arrived after the ${report.options.waitMs} ms wait; never arrived, by the observer's door: ${JSON.stringify(t.missedNever)}`);
        if (t.loginFailures.length) parts.push(`  ${t.loginFailures.length} logins failed, e.g. ${t.loginFailures[0]}`);
        break;
      }
      case 'storm': {
        const s = d.result;
        parts.push(
          table(
            ['registrations', 'at once', 'ok', 'failed', 'total s', 'per registration p50/p99/max', 'talkers', 'fanout before p50/p99/max', 'during p50/p99/max', 'p99 ratio', 'missed'],
            [[
              String(s.registrations), String(s.concurrency), String(s.ok), String(s.failed), n2(s.totalSeconds, 1), lat(s.registrationTime),
              `${s.sayers} (${s.sayRate}/s)`, lat(s.before.latency), lat(s.during.latency), ratio(s.during.latency.p99, s.before.latency.p99),
              String(s.before.receptions.missed + s.during.receptions.missed),
            ]],
          ),
        );
        if (s.failures.length) parts.push(`  failures, e.g.: ${s.failures.join(' | ')}`);
        break;
      }
      case 'churn': {
        const c = d.result;
        parts.push(
          table(
            ['cycles', 'at once', 'failed', 'seconds', 'cycle p50/p99/max', 'RSS before', 'RSS after', 'growth', 'heap used/total/external MB before -> after', 'subscribers', 'timers', 'sessions'],
            [[
              String(c.cycles), String(c.concurrency), String(c.failed), n2(c.seconds, 1), lat(c.cycleTime),
              `${mb(c.before.rss)} MB`, `${mb(c.after.rss)} MB`, `${n2(c.rssGrowthPercent, 1)} %`,
              `${mb(c.before.heapUsed)}/${mb(c.before.heapTotal)}/${mb(c.before.external)} -> ${mb(c.after.heapUsed)}/${mb(c.after.heapTotal)}/${mb(c.after.external)}`,
              `${c.before.subscribers ?? '?'} -> ${c.after.subscribers ?? '?'}`, `${c.before.timers ?? '?'} -> ${c.after.timers ?? '?'}`,
              `${c.before.sessions ?? '?'} -> ${c.after.sessions ?? '?'}`,
            ]],
          ),
        );
        parts.push(`  after ${c.warmup} warm-up cycles; samples after a GC: ${c.after.gc ? 'yes' : 'no (the server is watched from outside: /metrics and /proc)'}; handles after: ${JSON.stringify(c.after.resources)}`);
        if (c.failures.length) parts.push(`  failures, e.g.: ${c.failures.join(' | ')}`);
        break;
      }
      case 'memory': {
        const r = d.result;
        const row = (label: string, s: MemorySide | null) =>
          s ? [label, String(s.players), `${mb(s.baseline.rss)} MB`, `${mb(s.loaded.rss)} MB`, n2(s.rssPerPlayerKb, 1), n2(s.heapPerPlayerKb, 1)] : [label, '-', '-', '-', '-', '-'];
        parts.push(table(['server', 'idle players', 'RSS before', 'RSS with them', 'KB RSS / player', 'KB heap / player'], [row('game', r.game), row('bare', r.bare)]));
        const gcd = r.game?.loaded.gc ? ' and a GC' : ' (no forced GC: the server is watched from outside)';
        parts.push(`  game samples after ${r.idleS} s idle${gcd}; right after the logins (no idle): ${n2(r.game?.rssPerPlayerKbAfterRush, 1)} KB RSS per player`);
        if (r.loginFailures.length) parts.push(`  ${r.loginFailures.length} logins failed, e.g. ${r.loginFailures[0]}`);
        break;
      }
      case 'reload': {
        const r = d.result;
        parts.push(
          table(
            ['players', 'walking', 'seconds', 'reloads', 'reload ms (server) p50/max', 'reload round trip p50/max', 'moves', 'answered', 'lost', 'answer p50/p99/max', 'during a reload p50/max', 'server CPU'],
            [[
              String(r.players), String(r.movers), n2(r.durationS, 1), String(r.reloads),
              `${n2(r.reloadServerMs.p50)} / ${n2(r.reloadServerMs.max)}`, `${n2(r.reloadRoundTripMs.p50)} / ${n2(r.reloadRoundTripMs.max)}`,
              String(r.commands), String(r.answered), String(r.lost), lat(r.answer),
              `${n2(r.duringReload.p50)} / ${n2(r.duringReload.max)} (${r.duringReload.count})`, `${n2(r.serverCpuPercent, 0)} %`,
            ]],
          ),
        );
        parts.push(`  longest pause any player saw between a move and its answer: ${n2(r.answer.max)} ms; ${r.closed} connections closed during the run`);
        if (r.reloadFailures.length) parts.push(`  ${r.reloadFailures.length} reloads failed, e.g. ${r.reloadFailures[0]}`);
        if (r.loginFailures.length) parts.push(`  ${r.loginFailures.length} logins failed, e.g. ${r.loginFailures[0]}`);
        break;
      }
    }
    for (const note of run.notes) parts.push(`  note: ${note}`);
  }

  parts.push('', 'targets:');
  for (const t of targets) parts.push(`  [${t.verdict.toUpperCase().padEnd(4)}] ${t.target}: ${t.detail}`);
  return parts.join('\n');
}

/** Writes the report (with the target verdicts) as JSON; returns the file's path. */
export function writeJson(report: BenchReport, dir: string, targets: TargetCheck[] = checkTargets(report)): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = join(dir, `bench-${report.options.preset}-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ ...report, targets }, null, 2) + '\n');
  return file;
}

/** ", longest N ms" when the longest pause is known (the load generator's own watch), else nothing. */
function longest(ms: number | null): string {
  return ms === null ? '' : `, longest ${n2(ms)} ms`;
}
