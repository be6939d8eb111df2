// `netwatch serve`: the dashboard over HTTP(S). Snapshots stream as Server-Sent Events; connection pages,
// settings and status are small JSON requests. Loopback by default, with a token (see cli.ts for where
// it comes from); limits on connections and slow clients in limits.ts and stream.ts.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  ConnectionQuerySchema, SettingsSchema, UsageQuerySchema, defaultSettings, engineConfigOf, issuesText, withFixed,
  type EngineLink, type FixedSettings, type Settings,
} from '../../../shared/index.ts';
import type { Feed } from './feed.ts';
import { StreamHub } from './stream.ts';
import { saveServeSettings } from './settings-file.ts';
import { DEFAULT_LIMITS, applyLimits, connectionCap, parseOpenFileLimit } from './limits.ts';
import { CSP, contentTypeOf, staticFile } from '../../../shared/csp.ts';
import { CONTENT_TYPE as PROM_CONTENT_TYPE } from '../export/prom-text.ts';

export interface ServeOptions {
  host: string; port: number; token: string | null; staticDir: string; feed: Feed;
  /** PEM certificate and key: serve HTTPS (the Origin check then expects https://). */
  tls?: { cert: Buffer; key: Buffer } | null;
  /** Settings the command line fixed (--no-probes, --interval…): they win over saved ones, and why. */
  fixed?: FixedSettings;
  /**
   * The settings saved from the page: where they persist (null: not saved, kept for this run only),
   * what the file held at start, and the notice when it was set aside as corrupt.
   */
  settings?: { file: string | null; saved: Settings; notice: string | null };
  /** How long a stream client may stay behind before it is dropped, ms (see stream.ts). */
  slowClientMs?: number;
  /** Prometheus exposition text for GET /metrics (export/metrics.ts), behind the same token. */
  metrics?: () => string;
}

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
  if (!isLoopbackHost(o.host) && !o.token) return `refusing to serve on ${o.host} without a token: anyone who can reach it would see this machine's connections`;
  if (o.token !== null && o.token.length < 16) return 'the token must be at least 16 characters';
  if (!fs.existsSync(path.join(o.staticDir, 'index.html'))) return `no built dashboard in ${o.staticDir}: run \`npm run build:renderer\` first`;
  return null;
}

/**
 * The request target as a URL, or null when it is not an origin-form path (`*`, `http://…`) or does not
 * parse. `new URL('//', base)` reads `//` as a scheme-relative URL with no host and throws: outside the
 * handler's try, that one request line ended the process.
 */
export function requestUrl(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  return URL.parse(`http://localhost${target}`);
}

/** The soft fd limit of this process, from /proc (Linux); null elsewhere. */
function openFileLimit(): number | null {
  try { return parseOpenFileLimit(fs.readFileSync('/proc/self/limits', 'utf8')); } catch { return null; }
}

export function createServer(o: ServeOptions): http.Server {
  const fixed = o.fixed ?? {};
  let link: EngineLink = { state: 'down', reason: 'engine starting' };
  // `saved` is the user's own choice; `settings` that with the flags applied (what the engine runs and
  // the page shows). A flag's field keeps the saved value on disk, so dropping the flag restores it.
  let saved: Settings = o.settings?.saved ?? defaultSettings();
  let settings: Settings = withFixed(saved, fixed);
  let lastSnapshotTs: number | null = null;
  const hub = new StreamHub(link, o.slowClientMs === undefined ? {} : { slowClientMs: o.slowClientMs });
  const scheme = o.tls ? 'https' : 'http';
  o.feed.onSnapshot((s) => {
    // Views never get the socket list in snapshots; they ask for pages (see shared/query.ts).
    hub.snapshot(s.connectionsOmitted ? s : { ...s, connections: [], connectionsOmitted: true });
    lastSnapshotTs = s.ts;
  });
  o.feed.onLink((l) => { link = l; hub.link(l); });
  const heartbeat = setInterval(() => hub.heartbeat(), HEARTBEAT_MS);

  const tokenOk = (req: http.IncomingMessage, url: URL): boolean => {
    if (!o.token) return true;
    const given = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token') ?? '';
    const a = Buffer.from(given), b = Buffer.from(o.token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  /**
   * Same-origin only: a page elsewhere must not read this machine's connections through the user's
   * browser. The origin's scheme is ours, or, behind a TLS-terminating proxy on this machine, the
   * X-Forwarded-Proto it sets (believed only from a loopback peer).
   */
  const originOk = (req: http.IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const fwd = req.headers['x-forwarded-proto'];
      const proxied = typeof fwd === 'string' && isLoopbackHost(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '') ? fwd.split(',')[0]!.trim() : null;
      if (origin !== `${proxied ?? scheme}://${req.headers.host}`) return false;
    }
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

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const fail = (code: number, message: string) => { res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: message })); };
    const url = requestUrl(req.url);
    if (!url) return fail(400, 'bad request target');
    if (!hostOk(req)) return fail(421, 'unexpected Host header');
    if (url.pathname === '/metrics' && o.metrics && req.method === 'GET') {
      if (!tokenOk(req, url)) return fail(401, 'missing or wrong token');
      res.writeHead(200, { 'Content-Type': PROM_CONTENT_TYPE, 'Cache-Control': 'no-store' }).end(o.metrics());
      return;
    }
    if (!url.pathname.startsWith('/api/')) return serveStatic(o.staticDir, url.pathname, req, res);
    if (!originOk(req)) return fail(403, 'cross-origin request refused');
    if (!tokenOk(req, url)) return fail(401, 'missing or wrong token');
    try {
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /api/stream') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        hub.add(res, () => { if (hub.size === 0) o.feed.setVisible(false); });
        o.feed.setVisible(true);
        return;
      }
      if (route === 'POST /api/query') {
        const q = ConnectionQuerySchema.safeParse(await body(req));
        if (!q.success) return fail(400, issuesText(q.error));
        return json(res, await o.feed.query(q.data));
      }
      if (route === 'POST /api/usage') {
        const q = UsageQuerySchema.safeParse(await body(req));
        if (!q.success) return fail(400, issuesText(q.error));
        return json(res, await o.feed.usage(q.data));
      }
      if (route === 'GET /api/settings') return json(res, settings);
      if (route === 'GET /api/settings/fixed') return json(res, fixed);
      if (route === 'POST /api/settings') {
        // A flag's field keeps the user's saved value (on disk too, so dropping the flag restores it):
        // the page posts the flag's value, which need not be one a user could save (--bandwidth-threshold 1).
        const posted = await body(req);
        const own = Object.fromEntries(Object.keys(fixed).map((k) => [k, saved[k as keyof Settings]]));
        const s = SettingsSchema.safeParse(typeof posted === 'object' && posted !== null && !Array.isArray(posted) ? { ...posted, ...own } : posted);
        if (!s.success) return json(res, { ok: false, error: issuesText(s.error) }, 400);
        // As in the app: settings that cannot be saved are not applied, and the page hears why.
        try {
          saved = o.settings?.file ? saveServeSettings(o.settings.file, s.data) : s.data;
        } catch (e) {
          return json(res, { ok: false, error: `not saved to ${o.settings?.file}: ${(e as Error).message}` }, 500);
        }
        settings = withFixed(saved, fixed);
        o.feed.setConfig(engineConfigOf(settings));
        return json(res, { ok: true, settings });
      }
      if (route === 'GET /api/status') {
        return json(res, {
          link, enginePid: o.feed.enginePid(), settingsFile: o.settings?.file ?? null, settingsNotice: o.settings?.notice ?? null, restarts: o.feed.restarts(), clients: hub.size, lastSnapshotTs,
          connections: conns.open, refusedConnections: conns.refused, slowClientsDropped: hub.dropped, snapshotBytes: hub.snapshotBytes,
        });
      }
      return fail(404, 'no such endpoint');
    } catch (e) {
      return fail(e instanceof BodyError ? 400 : 500, (e as Error).message);
    }
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Nothing a request does may reject unhandled: that ends the process.
    handle(req, res).catch((e: Error) => {
      console.error(`netwatch serve: ${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"internal error"}');
      else res.destroy();
    });
  };
  const opts = { connectionsCheckingInterval: 1000 };
  const server = o.tls ? https.createServer({ ...opts, cert: o.tls.cert, key: o.tls.key, handshakeTimeout: 10_000 }, onRequest) : http.createServer(opts, onRequest);
  const conns = applyLimits(server, { ...DEFAULT_LIMITS, maxConnections: connectionCap(DEFAULT_LIMITS.maxConnections, openFileLimit()) });
  // CONNECT (and an Upgrade, were one asked for) bypass the request handler: without these, Node drops the
  // socket without an answer.
  const refuseRaw = (code: string) => (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(`HTTP/1.1 ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  server.on('connect', refuseRaw('405 Method Not Allowed'));
  server.on('upgrade', refuseRaw('426 Upgrade Required'));
  server.on('close', () => { clearInterval(heartbeat); hub.closeAll(); o.feed.stop(); });
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
