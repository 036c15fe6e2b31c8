// The targets of issue 6, checked against one run's results. A target whose scenario was not run
// at its size (a --quick run, say) is "n/a", with what was measured shown for information.
import type { BenchReport } from './orchestrator.js';
import type { ChurnResult } from './scenarios/churn.js';
import type { CrowdResult, CrowdSize } from './scenarios/crowd.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { StormResult } from './scenarios/storm.js';
import type { ReloadResult } from './scenarios/reload.js';
import type { TravelResult } from './scenarios/travel.js';

export type Verdict = 'pass' | 'fail' | 'n/a';

export interface TargetCheck {
  target: string;
  verdict: Verdict;
  /** The measured value and the bound, in words. */
  detail: string;
}

const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '?' : x.toFixed(digits));

function result<K extends 'crowd' | 'travel' | 'storm' | 'churn' | 'memory' | 'reload'>(report: BenchReport, name: K) {
  const run = report.runs.find((r) => r.name === name && r.ok && r.data?.scenario === name);
  return run?.data?.result as
    | (K extends 'crowd' ? CrowdResult : K extends 'travel' ? TravelResult : K extends 'storm' ? StormResult : K extends 'churn' ? ChurnResult : K extends 'memory' ? MemoryResult : ReloadResult)
    | undefined;
}

function verdict(holds: boolean, atSize: boolean): Verdict {
  return atSize ? (holds ? 'pass' : 'fail') : 'n/a';
}

export function checkTargets(report: BenchReport): TargetCheck[] {
  const out: TargetCheck[] = [];

  const crowd = result(report, 'crowd');
  const size: CrowdSize | undefined = crowd?.sizes.filter((s) => s.game && s.bare).at(-1);
  if (!crowd || !size?.game || !size.bare) {
    out.push({ target: 'crowd 1000: server CPU per say <= 1.5x bare', verdict: 'n/a', detail: 'crowd not run (or no bare comparison)' });
    out.push({ target: 'crowd 1000: per-receiver p99 <= 1.25x bare', verdict: 'n/a', detail: 'crowd not run (or no bare comparison)' });
  } else {
    const at = size.players >= 1000;
    const where = at ? '' : ` (at ${size.players} players; the target is for 1000)`;
    const missed = size.game.receptions.missed + size.bare.receptions.missed;
    const cpuRatio = size.game.cpuMsPerSay / size.bare.cpuMsPerSay;
    out.push({
      target: 'crowd 1000: server CPU per say <= 1.5x bare',
      verdict: verdict(cpuRatio <= 1.5, at),
      detail: `${fmt(size.game.cpuMsPerSay)} ms vs bare ${fmt(size.bare.cpuMsPerSay)} ms = ${fmt(cpuRatio)}x, bound 1.5x (${fmt(1.5 * size.bare.cpuMsPerSay)} ms)${where}`,
    });
    const g = size.game.latency.p99;
    const b = size.bare.latency.p99;
    const ratio = g !== null && b !== null ? g / b : Number.NaN;
    out.push({
      target: 'crowd 1000: per-receiver p99 <= 1.25x bare',
      verdict: verdict(ratio <= 1.25 && missed === 0, at),
      detail: `${fmt(g)} ms vs bare ${fmt(b)} ms = ${fmt(ratio)}x, bound 1.25x (${fmt(b === null ? null : 1.25 * b)} ms)${missed ? `; ${missed} receptions missed` : ''}${where}`,
    });
  }

  const travel = result(report, 'travel');
  if (!travel) out.push({ target: 'travel: notice p99 < 10 ms', verdict: 'n/a', detail: 'travel not run' });
  else {
    const p99 = travel.notice.p99;
    const at = travel.players >= 1000 && travel.durationS >= 59;
    out.push({
      target: 'travel: notice p99 < 10 ms',
      verdict: verdict(p99 !== null && p99 < 10 && travel.receptions.missed === 0, at),
      detail: `p99 ${fmt(p99)} ms over ${travel.receptions.received} notices (${travel.players} players, ${fmt(travel.durationS, 0)} s), bound 10 ms${travel.receptions.missed ? `; ${travel.receptions.missed} missed` : ''}${travel.bare ? `; the bare fanout server's p99 for the same walk: ${fmt(travel.bare.notice.p99)} ms` : ''}${at ? '' : ' (target is for 1000 players, 60 s)'}`,
    });
  }

  const storm = result(report, 'storm');
  if (!storm) out.push({ target: 'login storm: 1000 registrations all ok, < 60 s, fanout p99 during < 2x before', verdict: 'n/a', detail: 'storm not run' });
  else {
    const before = storm.before.latency.p99;
    const during = storm.during.latency.p99;
    const ratio = before !== null && during !== null ? during / before : Number.NaN;
    const holds = storm.failed === 0 && storm.totalSeconds < 60 && ratio < 2;
    const at = storm.registrations >= 1000;
    out.push({
      target: 'login storm: 1000 registrations all ok, < 60 s, fanout p99 during < 2x before',
      verdict: verdict(holds, at),
      detail: `${storm.ok}/${storm.registrations} ok in ${fmt(storm.totalSeconds, 1)} s (bound 60 s); p99 during ${fmt(during)} ms vs before ${fmt(before)} ms = ${fmt(ratio)}x (bound 2x)${at ? '' : ` (at ${storm.registrations} registrations; the target is for 1000)`}`,
    });
  }

  const churn = result(report, 'churn');
  if (!churn) out.push({ target: 'churn: RSS growth < 5 % after 10,000 cycles; no growth in subscribers or timers', verdict: 'n/a', detail: 'churn not run' });
  else {
    const subs: [number | null, number | null] = [churn.before.subscribers, churn.after.subscribers];
    const timers: [number | null, number | null] = [churn.before.timers, churn.after.timers];
    const noGrowth = ([a, b]: [number | null, number | null]) => a !== null && b !== null && b <= a;
    const holds = churn.rssGrowthPercent < 5 && noGrowth(subs) && noGrowth(timers) && churn.failed === 0;
    const at = churn.cycles >= 10_000;
    out.push({
      target: 'churn: RSS growth < 5 % after 10,000 cycles; no growth in subscribers or timers',
      verdict: verdict(holds, at),
      detail: `RSS ${mb(churn.before.rss)} -> ${mb(churn.after.rss)} MB = ${fmt(churn.rssGrowthPercent, 1)} % (bound 5 %); subscribers ${subs[0] ?? '?'} -> ${subs[1] ?? '?'}; timers ${timers[0] ?? '?'} -> ${timers[1] ?? '?'}; ${churn.failed} failed${at ? '' : ` (at ${churn.cycles} cycles; the target is for 10,000)`}`,
    });
  }

  const memory = result(report, 'memory');
  if (!memory) out.push({ target: 'memory: RSS per idle player < 30 KB', verdict: 'n/a', detail: 'memory not run' });
  else {
    const per = memory.game.rssPerPlayerKb;
    const at = memory.game.players >= 1000;
    out.push({
      target: 'memory: RSS per idle player < 30 KB',
      verdict: verdict(per < 30, at),
      detail: `${fmt(per, 1)} KB per player (${memory.game.players} players; bare ${fmt(memory.bare?.rssPerPlayerKb, 1)} KB per socket), bound 30 KB${at ? '' : ' (the target is for 1000 players)'}`,
    });
  }

  const rl = result(report, 'reload');
  if (!rl) out.push({ target: 'reload: under 2 s, no command lost', verdict: 'n/a', detail: 'reload not run' });
  else {
    const slowest = rl.reloadRoundTripMs.max;
    const at = rl.players >= 500 && rl.reloads >= 1;
    out.push({
      target: 'reload: under 2 s, no command lost',
      verdict: verdict(slowest !== null && slowest < 2000 && rl.lost === 0 && rl.reloadFailures.length === 0, at),
      detail: `${rl.reloads} reloads, slowest ${fmt(slowest)} ms from request to answer (server's own ${fmt(rl.reloadServerMs.max)} ms), bound 2000 ms; ${rl.lost} of ${rl.commands} moves lost; longest pause ${fmt(rl.answer.max)} ms${rl.reloadFailures.length ? `; ${rl.reloadFailures.length} reloads failed` : ''}${at ? '' : ' (the target is for 500 players)'}`,
    });
  }
  return out;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
