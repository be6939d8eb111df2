// Property test of `netwatch serve` over raw TCP: 10,000 generated requests (methods, request targets,
// header names and values, versions, bodies), malformed ones among them. Every one must get an answer
// below 500 — a 4xx whenever the request is malformed — and the server must never exit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { startServe, type Serve } from '../e2e/harness.ts';

const RUNS = 10_000;
let serve: Serve | undefined;
after(async () => { await serve?.stop(); });

/** Status code of the answer, or null when the connection closed without one. */
function send(port: number, bytes: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    const t = setTimeout(() => { s.destroy(); resolve(null); }, 5000);
    const done = (v: number | null) => { clearTimeout(t); s.destroy(); resolve(v); };
    s.on('data', (d) => {
      got += d.toString('latin1');
      // The first final status (a 100 Continue may come before it).
      for (const m of got.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)) if (Number(m[1]) >= 200) return done(Number(m[1]));
    });
    s.on('close', () => done(null));
    s.on('error', () => {});
  });
}

const tchar = fc.constantFrom(...'!#$%&\'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const token = fc.string({ unit: tchar, minLength: 1, maxLength: 12 });
/** Bytes that may not appear in a method, a target or a header name. */
const junk = fc.string({ unit: fc.constantFrom(' ', '\t', '\0', '\x7f', '(', ')', '<', '>', '@', ',', ';', '\\', '"', '[', ']', '?', '=', '{', '}', '\u00e9', '\x01'), minLength: 1, maxLength: 3 });

type Req = { method: string; target: string; version: string; headers: Array<[string, string]>; body: string; malformed: boolean };

function arbRequest(tok: string): fc.Arbitrary<Req> {
  const segment = fc.oneof(
    fc.constantFrom('', 'api', 'stream', 'status', 'settings', 'fixed', 'query', 'index.html', 'assets', '..', '.', '%2e%2e', '%2f', '%E0', '%00', '%', '[', '~', 'favicon.svg'),
    fc.string({ maxLength: 8 }).map(encodeURI),
  );
  const path = fc.oneof(fc.constantFrom('/api/stream', '/api/status', '/api/settings', '/api/settings/fixed', '/api/query', '/', '/api/'),
    fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/')));
  const query = fc.option(fc.oneof(fc.constant(`token=${tok}`), fc.constant('token=wrong'), fc.string({ maxLength: 10 }).map(encodeURIComponent)), { nil: undefined });
  const goodTarget = fc.tuple(path, query).map(([p, q]) => (q === undefined ? p : `${p}?${q}`));
  // Not an origin-form path (we serve no proxy or asterisk form), or bytes no request line may hold.
  const ctl = fc.string({ unit: fc.constantFrom(' ', '\0', '\x01', '\x7f', '\r'), minLength: 1, maxLength: 2 });
  const badTarget = fc.oneof(fc.constantFrom('*', 'http://evil.example/', 'evil', '', '\\', 'a b'), ctl.map((j) => `/a${j}x`));
  // Node's parser knows a fixed list of methods: any other token is a 400 before we see it.
  const method = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET', 'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT') }, { weight: 1, arbitrary: token });
  const header = fc.oneof(
    fc.constantFrom<[string, string]>(['Host', '127.0.0.1'], ['Host', 'evil.example'], ['Host', ''], ['Host', '[::1]:1'], ['Origin', 'http://evil.example'],
      ['Origin', 'null'], ['Authorization', `Bearer ${tok}`], ['Authorization', 'Bearer x'], ['Authorization', tok], ['Content-Type', 'application/json'],
      ['Content-Type', 'text/plain'], ['Sec-Fetch-Site', 'cross-site'], ['Sec-Fetch-Site', 'none'], ['X-Forwarded-Proto', 'https'], ['Transfer-Encoding', 'chunked'],
      ['Expect', '100-continue'], ['Connection', 'upgrade'], ['Upgrade', 'websocket']),
    fc.tuple(token, fc.string({ unit: fc.constantFrom(...'abc 123=;,/:'.split('')), maxLength: 20 })),
  );
  const badHeader = fc.oneof(fc.tuple(junk.map((j) => `X${j}Y`), fc.constant('v')), fc.tuple(fc.constant('X-Ok'), fc.constantFrom('a\rb', 'a\0b')),
    fc.tuple(fc.constant('Content-Length'), fc.constantFrom('-1', 'abc', '1, 2', '99999999999999999999')), fc.tuple(fc.constant('X-Big'), fc.constant('a'.repeat(20_000))));
  const body = fc.oneof(fc.constant(''), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 40 }));
  return fc.record({
    method, version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'), headers: fc.array(header, { maxLength: 6 }), body,
    bad: fc.option(fc.constantFrom('method', 'target', 'header', 'version'), { nil: undefined, freq: 3 }),
    goodTarget, badTarget, badMethod: junk.map((j) => `G${j}T`), badHeader, badVersion: fc.constantFrom('HTTP/9.9', 'HTTP/1', 'HTTX/1.1', ''),
  }).map((r) => ({
    method: r.bad === 'method' ? r.badMethod : r.method,
    target: r.bad === 'target' ? r.badTarget : r.goodTarget,
    version: r.bad === 'version' ? r.badVersion : r.version,
    headers: r.bad === 'header' ? [...r.headers, r.badHeader] : r.headers,
    body: r.body,
    malformed: r.bad !== undefined,
  }));
}

/** The request's bytes; the body is always as long as Content-Length says, so no request waits for more. */
function bytes(r: Req): Buffer {
  const body = Buffer.from(r.body);
  const hs = r.headers.filter(([k]) => !/^(content-length|transfer-encoding)$/i.test(k) || r.malformed);
  const hasHost = hs.some(([k]) => k.toLowerCase() === 'host');
  const lines = [`${r.method} ${r.target} ${r.version}`, ...(hasHost ? [] : ['Host: 127.0.0.1']), ...hs.map(([k, v]) => `${k}: ${v}`),
    ...(hs.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k)) ? [] : [`Content-Length: ${body.length}`]), 'Connection: close'];
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

test(`${RUNS} generated requests: never a 5xx or no answer, malformed ones get 4xx, the server never exits`, { timeout: 600_000 }, async (t) => {
  serve = await startServe(['--no-probes']);
  const port = Number(new URL(serve.base).port);
  const tok = serve.token!;
  const codes = new Map<number | string, number>();
  await fc.assert(fc.asyncProperty(arbRequest(tok), async (r) => {
    const code = await send(port, bytes(r));
    codes.set(code ?? 'none', (codes.get(code ?? 'none') ?? 0) + 1);
    assert.ok(serve!.child.exitCode === null && serve!.child.signalCode === null, 'the server exited');
    assert.notEqual(code, null, 'no answer');
    assert.ok(code! < 500, `answered ${code}`);
    if (r.malformed) assert.ok(code! >= 400, `malformed, answered ${code}`);
  }), { numRuns: RUNS, endOnFailure: true });
  t.diagnostic(`answers by status: ${JSON.stringify(Object.fromEntries(codes))}`);
  assert.equal((await serve.status()).link.state, 'up');
});
