// The benchmark's settings: what each scenario does and how big, with the full-size defaults of
// issue 6, a --quick preset for a few minutes' run, and the tiny preset of the smoke test.
export const SCENARIOS = ['crowd', 'travel', 'storm', 'churn', 'memory', 'reload'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface CrowdConfig {
  /** Players in the one room, measured in this order (the room grows between sizes). */
  sizes: number[];
  /** Says per size, each from a different player where the room has enough. */
  says: number;
  /** 0: each say after the previous one reached everyone (no overlap); else one say every N ms. */
  sayIntervalMs: number;
  /** Players who step out of the room and back in, for the arrival/departure notice times. */
  enters: number;
}

export interface TravelConfig {
  players: number;
  durationS: number;
  /** Mean seconds between two moves of one player (each wait is uniform in 0..2x this). */
  meanIntervalS: number;
  /** 0: the whole world; N: only the N rooms nearest the start (so few players still meet). */
  rooms: number;
}

export interface StormConfig {
  registrations: number;
  concurrency: number;
  /** Players already in the game, talking in a room of their own during the storm. */
  sayers: number;
  /** Says per second among the sayers. */
  sayRate: number;
  /** Seconds of talk measured before the storm starts. */
  beforeS: number;
}

export interface ChurnConfig {
  cycles: number;
  concurrency: number;
  /** Cycles run before the "before" sample, so one-off start-up allocations are not counted as growth. */
  warmup: number;
  /** Seconds the server sits idle before each sample (as for memory). */
  idleS: number;
}

export interface MemoryConfig {
  players: number;
  /** Register/quit cycles before the baseline sample (loads the code paths once). */
  warmup: number;
  /**
   * Seconds the server sits idle before each sample. The players are idle ones: what the login
   * rush left behind (V8 frees it when idle, see the memory scenario) is not theirs.
   */
  idleS: number;
}

export interface ReloadConfig {
  players: number;
  durationS: number;
  /** Seconds between two reloads. */
  everyS: number;
  /** Mean seconds between two moves of one walker (half the players walk). */
  meanIntervalS: number;
}

export interface BenchOptions {
  scenarios: ScenarioName[];
  doors: 'mixed' | 'telnet' | 'ws';
  crowd: CrowdConfig;
  travel: TravelConfig;
  storm: StormConfig;
  churn: ChurnConfig;
  memory: MemoryConfig;
  reload: ReloadConfig;
  /** Logins in flight at once while a scenario fills the game. */
  loginConcurrency: number;
  loginTimeoutMs: number;
  /** How long an expected line may take before it counts as missed. */
  waitMs: number;
  /** Where the JSON goes; null: not written. */
  resultsDir: string | null;
  /** The server's MYTHOS_LOG_LEVEL (its production default is info). */
  serverLogLevel: string;
  /** Write V8 CPU profiles of the servers and the load generator here (node --cpu-prof); null: none. */
  cpuProfDir: string | null;
  /** A label in the report: 'full', 'quick', 'custom', 'smoke'. */
  preset: string;
}

export function fullOptions(): BenchOptions {
  return {
    scenarios: [...SCENARIOS],
    doors: 'mixed',
    crowd: { sizes: [10, 100, 500, 1000], says: 50, sayIntervalMs: 0, enters: 10 },
    travel: { players: 1000, durationS: 60, meanIntervalS: 2, rooms: 0 },
    storm: { registrations: 1000, concurrency: 50, sayers: 100, sayRate: 10, beforeS: 10 },
    churn: { cycles: 10_000, concurrency: 20, warmup: 200, idleS: 60 },
    memory: { players: 1000, warmup: 20, idleS: 60 },
    reload: { players: 500, durationS: 60, everyS: 10, meanIntervalS: 2 },
    loginConcurrency: 50,
    loginTimeoutMs: 120_000,
    waitMs: 10_000,
    resultsDir: null,
    serverLogLevel: 'info',
    cpuProfDir: null,
    preset: 'full',
  };
}

/** A few minutes on a 2-core machine: the same scenarios, smaller. */
export function quickOptions(): BenchOptions {
  const o = fullOptions();
  return {
    ...o,
    crowd: { ...o.crowd, sizes: [10, 100] },
    travel: { ...o.travel, players: 100, durationS: 15 },
    storm: { ...o.storm, registrations: 100, concurrency: 10, sayers: 20, beforeS: 5 },
    churn: { ...o.churn, cycles: 500, warmup: 50, idleS: 5 },
    memory: { ...o.memory, players: 200, idleS: 5 },
    reload: { ...o.reload, players: 100, durationS: 25 },
    preset: 'quick',
  };
}

/** The smoke test's size: every scenario, five players, seconds each. */
export function smokeOptions(): BenchOptions {
  const o = fullOptions();
  return {
    ...o,
    crowd: { sizes: [5], says: 10, sayIntervalMs: 0, enters: 2 },
    travel: { players: 5, durationS: 3, meanIntervalS: 0.5, rooms: 3 },
    storm: { registrations: 5, concurrency: 2, sayers: 5, sayRate: 10, beforeS: 1 },
    churn: { cycles: 10, concurrency: 2, warmup: 2, idleS: 0 },
    memory: { players: 5, warmup: 2, idleS: 0 },
    reload: { players: 4, durationS: 4, everyS: 1, meanIntervalS: 0.3 },
    loginConcurrency: 5,
    loginTimeoutMs: 60_000,
    // A loaded CI machine may stall a process for seconds; the smoke test asserts no misses.
    waitMs: 30_000,
    preset: 'smoke',
  };
}

/** A generous upper bound on a scenario's run time: the load generator gives up after it. */
export function scenarioBudgetMs(name: ScenarioName, o: BenchOptions): number {
  // Registration is bound by the password hash: allow 0.5 s of hashing per login, all serial.
  const logins = (n: number) => n * 500;
  switch (name) {
    case 'crowd':
      return 120_000 + logins(Math.max(0, ...o.crowd.sizes)) + o.crowd.sizes.length * (o.crowd.says + 2 * o.crowd.enters) * o.waitMs;
    case 'travel':
      // The game's walk, then the same walk on the bare server.
      return 180_000 + logins(o.travel.players) + 2 * o.travel.durationS * 1000 + 2 * o.waitMs;
    case 'storm':
      return 120_000 + logins(o.storm.registrations + o.storm.sayers) + o.storm.beforeS * 1000 + o.waitMs;
    case 'churn':
      return 120_000 + logins(o.churn.cycles + o.churn.warmup + 2 * o.churn.concurrency);
    case 'memory':
      return 120_000 + logins(o.memory.players + o.memory.warmup);
    case 'reload':
      return 120_000 + logins(o.reload.players) + o.reload.durationS * 1000 + 2 * o.waitMs;
  }
}
