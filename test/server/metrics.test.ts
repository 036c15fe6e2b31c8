// /metrics in-process: a real Game and HTTP server, the registry read back as Prometheus text.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttp } from '../../server/http.js';
import { silentLogger } from '../../server/logger.js';
import { Outbound } from '../../server/core/outbound.js';
import { startMetrics, type Metrics } from '../../server/metrics.js';
import { makeGame, type TestGame } from './helpers.js';

let tg: TestGame | undefined;
let metrics: Metrics | undefined;
let close: (() => void) | undefined;

afterEach(() => {
  metrics?.stop();
  close?.();
  tg?.cleanup();
  metrics = close = tg = undefined;
});

async function scrape(): Promise<{ status: number; type: string | null; text: string; post: number }> {
  tg = makeGame();
  const dropped = new Map([['backpressure', 2]]);
  metrics = startMetrics({ game: tg.game, connections: () => ({ telnet: 3, ws: 4 }), wsDropped: () => dropped });
  const http = startHttp(silentLogger());
  http.route(metrics.route);
  http.server.listen(0, '127.0.0.1');
  await once(http.server, 'listening');
  close = () => http.server.close();
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;

  const a = tg.join('armitage');
  tg.join('wilmarth');
  a.type('say hello');
  tg.game.connectionLost(a.session, a.conn);
  // One event delivered to many on both doors: timed once per door, at its first delivery.
  const said = new Outbound('command_output', null, null, { text: 'x' });
  const late = new Outbound('command_output', null, null, { text: 'y' });
  const t0 = performance.now();
  while (performance.now() - t0 < 5) {
    // five milliseconds since `late` was made
  }
  for (let i = 0; i < 3; i++) metrics.observeDelivery('ws', said);
  metrics.observeDelivery('telnet', late);
  metrics.observeDelivery('telnet', late);

  const res = await fetch(`${base}/metrics`);
  const post = await fetch(`${base}/metrics`, { method: 'POST' });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), post: post.status };
}

describe('metrics', () => {
  it('reports connections, players, events and delivery times under mythos_ names', async () => {
    const { status, type, text, post } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(post).toBe(405);
    expect(text).toMatch(/^mythos_connections\{door="telnet"\} 3$/m);
    expect(text).toMatch(/^mythos_connections\{door="ws"\} 4$/m);
    expect(text).toMatch(/^mythos_players_online 2$/m);
    expect(text).toMatch(/^mythos_players_linkdead 1$/m);
    expect(text).toMatch(/^mythos_events_published_total\{type="PlayerEnteredGame"\} 2$/m);
    expect(text).toMatch(/^mythos_events_published_total\{type="PlayerSpoke"\} 1$/m);
    expect(text).toMatch(/^mythos_events_published_total\{type="PlayerStatusChanged"\} 1$/m);
    expect(text).toMatch(/^mythos_ws_dropped_total\{reason="backpressure"\} 2$/m);
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_count\{door="ws"\} 1$/m);
    // The telnet observation took at least 5 ms: it is not in the 1 ms bucket.
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_bucket\{le="0.001",door="telnet"\} 0$/m);
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_bucket\{le="\+Inf",door="telnet"\} 1$/m);
    expect(text).toMatch(/^mythos_sessions 2$/m);
    expect(text).toMatch(/^mythos_bus_subscribers [1-9]\d*$/m);
    expect(text).toMatch(/^mythos_replay_log_bytes\{kind="capacity"\} 8388608$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
