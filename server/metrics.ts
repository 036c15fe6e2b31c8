// Prometheus metrics for GET /metrics: prom-client's default process metrics (CPU, memory, event
// loop lag, GC) and ours, prefixed `mythos_`. Most of ours are read at scrape time from the live
// state (connections, players, sessions, the bus), so the game pays nothing for them. The one fed
// as the game runs, the delivery-time histogram, is observed once per event per door, not once
// per recipient: a say to a crowded room costs it two observations, not a thousand.
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Door } from '../shared/protocol.js';
import type { Game } from './core/game.js';
import type { Outbound } from './core/outbound.js';
import type { Route } from './http.js';

/** A door queued `out` for a socket: the metrics look at the first delivery of it on each door. */
export type DeliveryObserver = (door: Door, out: Outbound) => void;
export const ignoreDeliveries: DeliveryObserver = () => {};

export interface MetricsSources {
  game: Game;
  /** Open connections per door, logged in or not. */
  connections(): Record<Door, number>;
  /** WebSocket clients cut loose, per reason (backpressure, heartbeat). */
  wsDropped?(): ReadonlyMap<string, number>;
}

export interface Metrics {
  registry: Registry;
  /** GET /metrics. */
  route: Route;
  /** For the doors: called for every delivery, observes the first of each event per door. */
  observeDelivery: DeliveryObserver;
  stop(): void;
}

// Delivery is in-process: most envelopes should land well under a millisecond; the tail shows a
// loaded event loop.
const DELIVERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function startMetrics(src: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'mythos_connections',
    help: 'Open connections per front door, logged in or not',
    labelNames: ['door'],
    registers: [registry],
    collect() {
      for (const [door, n] of Object.entries(src.connections())) this.set({ door }, n);
    },
  });
  new Gauge({
    name: 'mythos_players_online',
    help: 'Characters in the game, link-dead bodies included',
    registers: [registry],
    collect() {
      this.set(src.game.presence.size);
    },
  });
  new Gauge({
    name: 'mythos_players_linkdead',
    help: 'Characters in the game whose connection dropped, waiting for a resume',
    registers: [registry],
    collect() {
      let n = 0;
      for (const p of src.game.presence.all()) if (p.status === 'linkdead') n++;
      this.set(n);
    },
  });
  new Counter({
    name: 'mythos_events_published_total',
    help: 'Game events published on the bus, per event type',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      // The bus keeps the running totals; mirror them rather than count twice.
      this.reset();
      for (const [type, n] of src.game.bus.publishedCounts()) this.inc({ type }, n);
    },
  });
  new Counter({
    name: 'mythos_ws_dropped_total',
    help: 'WebSocket clients cut loose by the server, per reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of src.wsDropped?.() ?? []) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'mythos_sessions',
    help: 'Player sessions in the game (a link-dead body keeps its session)',
    registers: [registry],
    collect() {
      this.set(src.game.sessionCount());
    },
  });
  new Gauge({
    name: 'mythos_bus_subscribers',
    help: 'Handlers subscribed to the event bus (constant in a healthy server)',
    registers: [registry],
    collect() {
      this.set(src.game.bus.subscriberCount());
    },
  });
  new Gauge({
    name: 'mythos_replay_log_bytes',
    help: 'The replay log WebSocket resumes read from: its size, and what is allocated (0 before the first WebSocket event)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const log = src.game.replayLog;
      this.set({ kind: 'capacity' }, log.capacity);
      this.set({ kind: 'allocated' }, log.allocated);
    },
  });
  new Counter({
    name: 'mythos_replay_log_written_bytes_total',
    help: 'Bytes written to the replay log since the start: divided by its capacity, how many times it went round',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(src.game.replayLog.writtenBytes);
    },
  });
  const delivery = new Histogram({
    name: 'mythos_envelope_delivery_seconds',
    help: 'Time from an event being published to its first envelope on each door being queued for a socket',
    labelNames: ['door'],
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  // The labelled children once, here: labels() hashes its arguments on every call.
  const byDoor: Record<Door, { observe(v: number): void }> = { telnet: delivery.labels('telnet'), ws: delivery.labels('ws') };
  const observeDelivery: DeliveryObserver = (door, out) => {
    if (out.firstDeliveryOn(door)) byDoor[door].observe((performance.now() - out.createdAt) / 1000);
  };

  const route: Route = async (req, res, url) => {
    if (url.pathname !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'text/plain; charset=utf-8', 'GET only\n', { allow: 'GET, HEAD' });
      return true;
    }
    sendText(res, 200, registry.contentType, await registry.metrics());
    return true;
  };

  return {
    registry,
    route,
    observeDelivery,
    stop() {
      registry.clear();
    },
  };
}

function sendText(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}
