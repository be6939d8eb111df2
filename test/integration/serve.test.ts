// `netwatch serve` as a user (or an attacker's page) meets it: loopback only unless a token is set,
// token and Origin checked on the stream and the API, security headers, and `record` → `--replay`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, defaultQuery } from '../../shared/index.ts';
import { startServe, type Serve } from '../e2e/harness.ts';

const BIN = path.join(ROOT, 'bin', 'netwatch.js');
const run = promisify(execFile);
const TOKEN = 'correct-horse-battery-staple';
const serves: Serve[] = [];
after(async () => { for (const s of serves) await s.stop(); });

/** The first `event: snapshot` of an SSE response, or the status when there is none. */
async function firstEvent(url: string, headers: Record<string, string> = {}): Promise<{ status: number; snapshot?: unknown }> {
  const ac = new AbortController();
  const r = await fetch(url, { headers, signal: ac.signal });
  if (r.status !== 200) return { status: r.status };
  const reader = r.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const m = text.match(/event: snapshot\ndata: (.*)\n\n/);
    if (m) { ac.abort(); return { status: 200, snapshot: JSON.parse(m[1]!) }; }
  }
  return { status: r.status };
}

test('refuses a non-loopback --host without a token, and a short token', async () => {
  for (const args of [['--host', '0.0.0.0'], ['--host', '::'], ['--host', '0.0.0.0', '--token', 'short']]) {
    const r = await run(process.execPath, [BIN, 'serve', '--port', '0', ...args]).then(() => null, (e: { code: number; stderr: string }) => e);
    assert.ok(r, `serve ${args.join(' ')} must fail`);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /without a token|at least 16/);
  }
});

test('with a token: wrong or missing token → 401; foreign Origin → 403 even with the token; right token streams', async () => {
  const s = await startServe(['--no-probes', '--token', TOKEN], { token: TOKEN });
  serves.push(s);
  assert.equal((await firstEvent(`${s.base}api/stream`)).status, 401);
  assert.equal((await firstEvent(`${s.base}api/stream?token=wrong-token-wrong-token`)).status, 401);
  assert.equal((await firstEvent(`${s.base}api/stream?token=${TOKEN}`, { Origin: 'http://evil.example' })).status, 403);
  assert.equal((await firstEvent(`${s.base}api/stream?token=${TOKEN}`, { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
  const ok = await firstEvent(`${s.base}api/stream?token=${TOKEN}`, { Origin: s.base.replace(/\/$/, '') });
  assert.equal(ok.status, 200);
  const snap = SnapshotSchema.parse(ok.snapshot);
  assert.ok(snap.connectionsOmitted && snap.connections.length === 0, 'the stream never carries the socket list');
  // The API takes the token as a bearer header too; a bad query is refused with the reason.
  const q = await fetch(`${s.base}api/query`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...defaultQuery(), limit: 5 }) });
  assert.equal(q.status, 200);
  assert.ok(((await q.json()) as { rows: unknown[] }).rows.length <= 5);
  const bad = await fetch(`${s.base}api/query`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...defaultQuery(), limit: 5000 }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /limit/);
  const noToken = await fetch(`${s.base}api/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(noToken.status, 401);
});

test('--no-token: loopback Host only (DNS rebinding), same-origin only; security headers on every response', async () => {
  const s = await startServe(['--no-probes', '--no-token']);
  serves.push(s);
  assert.equal(s.token, null);
  const page = await fetch(s.base);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy')!;
  for (const d of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), d);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  // fetch() will not send a foreign Host header; http.get does, as a rebinding browser would.
  const rebound = await new Promise<number>((resolve, reject) => {
    http.get(`${s.base}api/status`, { headers: { Host: `attacker.example:${new URL(s.base).port}` } }, (r) => { r.resume(); resolve(r.statusCode!); }).on('error', reject);
  });
  assert.equal(rebound, 421);
  assert.equal((await fetch(`${s.base}api/status`, { headers: { Origin: 'http://attacker.example' } })).status, 403);
  assert.equal((await fetch(`${s.base}api/status`)).status, 200);
  assert.equal((await fetch(`${s.base}..%2f..%2fpackage.json`)).status, 403, "no path out of the app folder");
  // Not valid percent-encoding: refused, and the server is still there (it used to throw and exit).
  assert.equal((await fetch(`${s.base}%E0`)).status, 403);
  assert.equal((await fetch(`${s.base}api/status`)).status, 200);
  const settings = await fetch(`${s.base}api/settings`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: 1, units: 'furlongs' }) });
  assert.equal(settings.status, 400);
});

test('record writes full snapshots; serve --replay plays them and answers queries from them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-rec-'));
  try {
    const file = path.join(dir, 'rec.jsonl');
    const { stderr } = await run(process.execPath, [BIN, 'record', file, '--duration', '3', '--no-probes']);
    assert.match(stderr, /recorded \d+ snapshots/);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => SnapshotSchema.parse(JSON.parse(l)));
    assert.ok(lines.length >= 2, `${lines.length} lines`);
    const full = lines.filter((l) => !l.connectionsOmitted);
    assert.ok(full.length >= 1 && full.at(-1)!.connections.length === full.at(-1)!.totalSockets);
    // A torn last line (a crash mid-write) is skipped, not fatal.
    fs.appendFileSync(file, '{"version":1,"ts":');
    const s = await startServe(['--replay', file]);
    serves.push(s);
    const ev = await firstEvent(`${s.base}api/stream`, s.auth());
    assert.equal(SnapshotSchema.parse(ev.snapshot).hostname, lines[0]!.hostname);
    await new Promise((r) => setTimeout(r, 2500));
    const page = await (await fetch(`${s.base}api/query`, { method: 'POST', headers: { ...s.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify(defaultQuery()) })).json() as { total: number; rows: unknown[] };
    assert.ok(page.total > 0 && page.rows.length > 0, `replayed ${page.total} sockets`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
