// The benchmark must not rot: every scenario runs at a tiny size through the very code of
// `npm run bench` (real server, bare server and load generator as child processes), and each
// reports sane results: every expected line arrived, nothing failed, every sample is a number.
// No timing is asserted; the figures of a 2-core machine under test load mean nothing here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench, type BenchReport, type ScenarioRun } from '../../bench/orchestrator.js';
import { smokeOptions } from '../../bench/options.js';
import { renderReport } from '../../bench/report.js';
import { checkTargets } from '../../bench/targets.js';

const log: string[] = [];
let report: BenchReport;

function run(name: ScenarioRun['name']): ScenarioRun {
  const r = report.runs.find((x) => x.name === name);
  if (!r) throw new Error(`${name} did not run`);
  // On failure, the load generator's error and the server's log say why.
  expect(r.error, `${name}: ${r.error}\n${log.join('\n')}`).toBeNull();
  expect(r.ok).toBe(true);
  return r;
}

const finite = (x: number | null | undefined) => typeof x === 'number' && Number.isFinite(x);

describe('npm run bench, every scenario at N = 5', () => {
  beforeAll(async () => {
    // Two halves side by side: most of a tiny scenario is processes starting and short waits.
    const half = async (scenarios: ScenarioRun['name'][]) => runBench({ ...smokeOptions(), scenarios }, { log: (t) => log.push(t) });
    const [a, b] = await Promise.all([half(['crowd', 'storm', 'memory']), half(['travel', 'churn', 'reload'])]);
    report = { ...a, runs: [...a.runs, ...b.runs] };
  }, 240_000);

  afterAll(() => {
    if (report && report.runs.some((r) => !r.ok)) console.error(renderReport(report));
  });

  it('crowd: every say reached every other player, on the game and on the bare server', () => {
    const r = run('crowd');
    if (r.data?.scenario !== 'crowd') throw new Error('wrong result');
    const [size] = r.data.result.sizes;
    expect(size?.players).toBe(5);
    expect(size?.loginFailures).toEqual([]);
    for (const phase of [size?.game, size?.bare]) {
      expect(phase?.says).toBe(10);
      expect(phase?.receptions.expected).toBe(10 * 4);
      expect(phase?.receptions.received).toBe(phase?.receptions.expected);
      expect(phase?.receptions.missed).toBe(0);
      expect(phase?.latency.count).toBe(40);
      expect(finite(phase?.latency.p99)).toBe(true);
      expect(phase?.cpuMsPerSay).toBeGreaterThan(0);
    }
    expect(size?.game?.cpuSource).toBe('metrics');
    for (const notice of [size?.enter, size?.leave]) {
      expect(notice?.receptions.expected).toBe(2 * 4);
      expect(notice?.receptions.received).toBe(notice?.receptions.expected);
    }
  });

  it('travel: players met, and every observer standing still saw each move', () => {
    const r = run('travel');
    if (r.data?.scenario !== 'travel') throw new Error('wrong result');
    const t = r.data.result;
    expect(t.players).toBe(5);
    expect(t.moves).toBeGreaterThan(0);
    expect(t.refused).toBe(0);
    expect(t.unconfirmed).toBe(0);
    // Three rooms for five players: a move with nobody to see it is rare, with no one at all impossible.
    expect(t.receptions.expected).toBeGreaterThan(0);
    expect(t.receptions.received).toBe(t.receptions.expected);
    expect(t.receptions.missed).toBe(0);
    expect(finite(t.notice.p99)).toBe(true);
    expect(finite(t.serverCpuPercent)).toBe(true);
    // The server watched its event loop during the moves (and only then).
    expect(t.serverStalls).not.toBeNull();
    expect(finite(t.serverStalls!.loopMax)).toBe(true);
    expect(t.serverStalls!.scavengeCount).toBeLessThanOrEqual(t.serverStalls!.gcCount);
    expect(finite(t.serverStalls!.scavengeTotal)).toBe(true);
    // The same walk on the bare fanout server: its moves were heard too (by whoever shared a room).
    expect(t.bare).not.toBeNull();
    expect(t.bare!.moves).toBeGreaterThan(0);
    expect(t.bare!.notice.count).toBeGreaterThan(0);
    expect(finite(t.bare!.notice.p99)).toBe(true);
  });

  it('storm: every registration succeeded and the talk went on before and during it', () => {
    const r = run('storm');
    if (r.data?.scenario !== 'storm') throw new Error('wrong result');
    const s = r.data.result;
    expect(s.ok).toBe(5);
    expect(s.failed).toBe(0);
    expect(s.registrationTime.count).toBe(5);
    for (const phase of [s.before, s.during]) {
      expect(phase.events).toBeGreaterThan(0);
      expect(phase.receptions.received).toBe(phase.receptions.expected);
      expect(phase.receptions.missed).toBe(0);
      expect(finite(phase.latency.p99)).toBe(true);
    }
  });

  it('churn: every cycle completed, and the server was sampled before and after', () => {
    const r = run('churn');
    if (r.data?.scenario !== 'churn') throw new Error('wrong result');
    const c = r.data.result;
    expect(c.ok).toBe(10);
    expect(c.failed).toBe(0);
    for (const s of [c.before, c.after]) {
      expect(s.source).toBe('metrics');
      expect(s.gc).toBe(false); // a server started as a sysop starts it: no forced GC
      expect(s.rss).toBeGreaterThan(0);
      expect(s.sessions).toBe(0);
      expect(finite(s.subscribers)).toBe(true);
      expect(finite(s.timers)).toBe(true);
    }
    expect(finite(c.rssGrowthPercent)).toBe(true);
  });

  it('memory: both servers were sampled with the idle players and without', () => {
    const r = run('memory');
    if (r.data?.scenario !== 'memory') throw new Error('wrong result');
    const m = r.data.result;
    expect(m.loginFailures).toEqual([]);
    expect(m.game.players).toBe(5);
    expect(m.game.loaded.players).toBe(5);
    expect(m.game.baseline.players).toBe(0);
    expect(m.bare?.players).toBe(5);
    expect(finite(m.game.rssPerPlayerKb)).toBe(true);
    expect(finite(m.bare?.rssPerPlayerKb)).toBe(true);
  });

  it('reload: the world was reloaded under the walkers, every move was answered, none lost', () => {
    const r = run('reload');
    if (r.data?.scenario !== 'reload') throw new Error('wrong result');
    const rl = r.data.result;
    expect(rl.loginFailures).toEqual([]);
    expect(rl.players).toBe(4);
    expect(rl.movers).toBe(2);
    expect(rl.reloadFailures).toEqual([]);
    expect(rl.reloads).toBeGreaterThanOrEqual(1);
    expect(rl.reloadServerMs.count).toBe(rl.reloads);
    expect(rl.commands).toBeGreaterThan(0);
    expect(rl.lost).toBe(0);
    expect(rl.answered).toBe(rl.commands);
    expect(rl.closed).toBe(0);
    expect(finite(rl.answer.max)).toBe(true);
  });

  it('the report has a table per scenario and one line per target', () => {
    const targets = checkTargets(report);
    expect(targets).toHaveLength(7);
    // Tiny sizes: no target can be judged, but each shows what was measured.
    for (const t of targets) {
      expect(t.verdict).toBe('n/a');
      expect(t.detail).not.toMatch(/not run/);
    }
    const text = renderReport(report, targets);
    for (const name of ['crowd', 'travel', 'storm', 'churn', 'memory', 'reload', 'targets:']) expect(text).toContain(name);
  });
});
