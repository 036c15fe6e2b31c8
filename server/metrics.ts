// Prometheus metrics for GET /metrics: default process metrics and ours, prefixed `mythos_`. Most of
// ours are read at scrape time from the live state (connections, players, the bus's counts), so the
// hot paths pay nothing for them; only the delivery-time histogram is fed per envelope, through
// observeDelivery(), which the doors call without knowing about prom-client.
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { Door } from '../shared/protocol.js';
import type { Game } from './core/game.js';
import type { Route } from './http.js';

type DeliverySink = (door: Door, seconds: number) => void;
let deliverySink: DeliverySink | null = null;

/**
 * A door wrote an envelope created at `createdAt` (performance.now(), Outbound.createdAt) to a
 * socket. Free until metrics start.
 */
export function observeDelivery(door: Door, createdAt: number): void {
  if (deliverySink) deliverySink(door, (performance.now() - createdAt) / 1000);
}

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
  // Fed once per recipient, so not prom-client's Histogram: its observe() validates and hashes the
  // label set on every call, which profiles showed as the largest single cost of a say to 1,000.
  const delivery = new DeliveryHistogram(
    'mythos_envelope_delivery_seconds',
    'Time from an event being published to its envelope being written to a socket, per door',
    DELIVERY_BUCKETS,
  );
  registry.registerMetric(delivery as unknown as Metric); // read through get() at scrape time
  const sink: DeliverySink = (door, seconds) => delivery.observe(door, seconds);
  deliverySink = sink;

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
    stop() {
      if (deliverySink === sink) deliverySink = null;
      registry.clear();
    },
  };
}

function sendText(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

interface HistogramValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** A histogram per door with fixed buckets: observe() is a short scan and three additions. */
class DeliveryHistogram {
  private readonly byDoor: Record<Door, { buckets: Float64Array; sum: number; count: number }>;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    const fresh = () => ({ buckets: new Float64Array(bounds.length), sum: 0, count: 0 });
    this.byDoor = { telnet: fresh(), ws: fresh() };
  }

  observe(door: Door, seconds: number): void {
    const h = this.byDoor[door];
    h.sum += seconds;
    h.count++;
    for (let i = 0; i < this.bounds.length; i++) {
      if (seconds <= this.bounds[i]!) {
        h.buckets[i]!++;
        return;
      }
    }
  }

  /**
   * What prom-client's registry reads from a metric (its .d.ts declares the type as a numeric
   * enum, the registry prints the string): cumulative _bucket lines, then _sum and _count.
   */
  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: HistogramValue[] } {
    const values: HistogramValue[] = [];
    for (const door of ['telnet', 'ws'] as const) {
      const h = this.byDoor[door];
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += h.buckets[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, door }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', door }, value: h.count });
      values.push({ metricName: `${this.name}_sum`, labels: { door }, value: h.sum });
      values.push({ metricName: `${this.name}_count`, labels: { door }, value: h.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
