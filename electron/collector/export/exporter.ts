// `netwatch exporter`: the lean Prometheus endpoint, no dashboard. GET /metrics only, rendered from
// the last snapshot (a scrape never waits for the engine, which runs in its own supervised process).
// Off loopback a bearer token is required (Prometheus' `authorization` scrape config), chosen by the
// same rules as `netwatch serve` (serve/token.ts); `setToken()` swaps it on SIGHUP.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { requestUrl } from '../serve/server.ts';
import { CONTENT_TYPE } from './prom-text.ts';

export interface ExporterOptions {
  /** The exposition text of the moment. */
  metrics: () => string;
  token: string | null;
}

export interface Exporter { server: http.Server; setToken(t: string | null): void }

/** Whether the request carries `Authorization: Bearer <token>` (constant-time compare). */
export function bearerOk(header: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createExporter(o: ExporterOptions): Exporter {
  let token = o.token;
  const server = http.createServer({ connectionsCheckingInterval: 1000, requestTimeout: 10_000, headersTimeout: 10_000 }, (req, res) => {
    const url = requestUrl(req.url);
    const text = (code: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers }).end(req.method === 'HEAD' ? undefined : body);
    if (!url) return text(400, 'bad request target\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'GET only\n', { Allow: 'GET, HEAD' });
    if (url.pathname === '/') return text(200, 'netwatch exporter: metrics at /metrics\n');
    if (url.pathname !== '/metrics') return text(404, 'not found: metrics are at /metrics\n');
    if (!bearerOk(req.headers.authorization, token)) return text(401, 'missing or wrong bearer token\n', { 'WWW-Authenticate': 'Bearer realm="netwatch"' });
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : o.metrics());
  });
  server.maxConnections = 256;
  return { server, setToken: (t) => { token = t; } };
}
