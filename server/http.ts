// The HTTP server on --ws-port: the WebSocket upgrade at /ws, /healthz, /metrics and /admin/.
// Each part registers a route; unknown paths get a JSON 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface HttpDoor {
  server: Server;
  /** Routes are tried in order; one returns true when it answered. */
  route(handler: Route): void;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function startHttp(log: Logger): HttpDoor {
  const routes: Route[] = [
    (req, res, url) => {
      if (url.pathname !== '/healthz') return false;
      sendJson(res, 200, { status: 'ok' });
      return true;
    },
  ];
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      for (const route of routes) if (await route(req, res, url)) return;
      sendJson(res, 404, { error: 'not_found', message: `no such path: ${url.pathname}` });
    } catch (err) {
      log.error({ err, url: req.url }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
      else res.destroy();
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return { server, route: (handler) => routes.push(handler) };
}
