// `netwatch serve`: the dashboard over HTTP. Snapshots stream as Server-Sent Events; connection pages,
// settings and status are small JSON requests. Loopback by default; any other address needs a token.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import {
  ConnectionQuerySchema, SettingsSchema, defaultSettings, engineConfigOf, issuesText,
  type EngineLink, type Settings, type Snapshot,
} from '../../../shared/index.ts';
import type { Feed } from './feed.ts';
import { CSP, contentTypeOf, staticFile } from '../../../shared/csp.ts';

export interface ServeOptions { host: string; port: number; token: string | null; staticDir: string; feed: Feed }

/** Bodies we accept are a query or the settings: a few hundred bytes. */
const MAX_BODY = 64 * 1024;
const HEARTBEAT_MS = 15_000;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

export const isLoopbackHost = (h: string): boolean =>
  h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));

/** Where `npm run build:renderer` puts the app, from the TypeScript sources or from the dist/ bundle. */
export function defaultStaticDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', 'renderer') : path.resolve(here, '..', '..', '..', 'dist', 'renderer');
}

/** Why the options cannot be served, or null. Checked before anything listens. */
export function refuse(o: Pick<ServeOptions, 'host' | 'token' | 'staticDir'>): string | null {
  if (!isLoopbackHost(o.host) && !o.token) return `refusing to serve on ${o.host} without --token: anyone who can reach it would see this machine's connections`;
  if (o.token !== null && o.token.length < 16) return '--token must be at least 16 characters';
  if (!fs.existsSync(path.join(o.staticDir, 'index.html'))) return `no built dashboard in ${o.staticDir}: run \`npm run build:renderer\` first`;
  return null;
}

export function createServer(o: ServeOptions): http.Server {
  let latest: Snapshot | null = null;
  let link: EngineLink = { state: 'down', reason: 'engine starting' };
  let settings: Settings = defaultSettings();
  const clients = new Set<http.ServerResponse>();
  const send = (res: http.ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = (event: string, data: unknown) => { for (const c of clients) send(c, event, data); };
  o.feed.onSnapshot((s) => {
    // Views never get the socket list in snapshots; they ask for pages (see shared/query.ts).
    latest = s.connectionsOmitted ? s : { ...s, connections: [], connectionsOmitted: true };
    broadcast('snapshot', latest);
  });
  o.feed.onLink((l) => { link = l; broadcast('link', l); });
  const heartbeat = setInterval(() => { for (const c of clients) c.write(': keep-alive\n\n'); }, HEARTBEAT_MS);

  const tokenOk = (req: http.IncomingMessage, url: URL): boolean => {
    if (!o.token) return true;
    const given = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token') ?? '';
    const a = Buffer.from(given), b = Buffer.from(o.token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  /** Same-origin only: a page elsewhere must not read this machine's connections through the user's browser. */
  const originOk = (req: http.IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  };
  /** DNS rebinding: on loopback without a token, only loopback names may be in Host. */
  const hostOk = (req: http.IncomingMessage): boolean => {
    if (o.token) return true;
    const h = req.headers.host ?? '';
    const name = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d+$/, '');
    return isLoopbackHost(name);
  };

  const server = http.createServer(async (req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const fail = (code: number, message: string) => { res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: message })); };
    if (!hostOk(req)) return fail(421, 'unexpected Host header');
    if (!url.pathname.startsWith('/api/')) return serveStatic(o.staticDir, url.pathname, req, res);
    if (!originOk(req)) return fail(403, 'cross-origin request refused');
    if (!tokenOk(req, url)) return fail(401, 'missing or wrong token');
    try {
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /api/stream') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        clients.add(res);
        o.feed.setVisible(true);
        send(res, 'link', link);
        if (latest) send(res, 'snapshot', latest);
        req.on('close', () => { clients.delete(res); if (clients.size === 0) o.feed.setVisible(false); });
        return;
      }
      if (route === 'POST /api/query') {
        const q = ConnectionQuerySchema.safeParse(await body(req));
        if (!q.success) return fail(400, issuesText(q.error));
        return json(res, await o.feed.query(q.data));
      }
      if (route === 'GET /api/settings') return json(res, settings);
      if (route === 'POST /api/settings') {
        const s = SettingsSchema.safeParse(await body(req));
        if (!s.success) return json(res, { ok: false, error: issuesText(s.error) }, 400);
        settings = s.data;
        o.feed.setConfig(engineConfigOf(settings));
        return json(res, { ok: true, settings });
      }
      if (route === 'GET /api/status') return json(res, { link, enginePid: o.feed.enginePid(), clients: clients.size, lastSnapshotTs: latest?.ts ?? null });
      return fail(404, 'no such endpoint');
    } catch (e) {
      return fail(e instanceof BodyError ? 400 : 500, (e as Error).message);
    }
  });
  server.on('close', () => { clearInterval(heartbeat); for (const c of clients) c.end(); o.feed.stop(); });
  return server;
}

class BodyError extends Error {}

async function body(req: http.IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new BodyError('expected Content-Type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new BodyError(`body over ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError('body is not JSON');
  }
}

function json(res: http.ServerResponse, data: unknown, code = 200): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(data));
}

function serveStatic(dir: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
  const rel = staticFile(pathname);
  if (rel === null) { res.writeHead(403).end(); return; }
  const file = path.join(dir, rel);
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
    // Hashed asset names never change content; the page itself is always re-read.
    const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'Content-Type': contentTypeOf(path.extname(file)), 'Cache-Control': cache });
    res.end(req.method === 'HEAD' ? undefined : data);
  });
}
