// `netwatch serve` against what an attacker or an operator did to it (issue 11): one request line that
// killed it, sockets held until the fd limit, flags the dashboard ignored or undid, tokens on argv, a
// hung engine reported up, a respawn failing at the fd limit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { streamSnapshot as firstSnapshot, startServe, type Serve } from '../e2e/harness.ts';
import { defaultSettings } from '../../shared/index.ts';

const serves: Serve[] = [];
after(async () => { for (const s of serves) await s.stop(); });
const start = async (args: string[], opts: Parameters<typeof startServe>[1] = {}) => { const s = await startServe(args, opts); serves.push(s); return s; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends raw bytes, resolves with the status code of the answer (null: closed without one). */
function raw(port: number, bytes: string, timeoutMs = 3000): Promise<number | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    const t = setTimeout(() => { s.destroy(); resolve(null); }, timeoutMs);
    s.on('data', (d) => { got += d; const m = /^HTTP\/1\.1 (\d{3})/.exec(got); if (m) { clearTimeout(t); s.destroy(); resolve(Number(m[1])); } });
    s.on('close', () => { clearTimeout(t); resolve(null); });
    s.on('error', () => {});
  });
}
const portOf = (s: Serve) => Number(new URL(s.base).port);

test('GET // killed the server before any auth (new URL threw in the async handler): //, ///, //[ are answered, a non-path target gets 400, the server stays', async () => {
  for (const args of [['--no-token'], []]) {
    const s = await start(['--no-probes', ...args]);
    // '//' and '///' are the page (a path of empty segments), '//[' a file that is not there.
    const expect: Record<string, number> = { '//': 200, '///': 200, '//[': 404, '//evil.example/api/status': 404, '*': 400, 'http://x/': 400 };
    for (const [target, code] of Object.entries(expect)) {
      assert.equal(await raw(portOf(s), `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), code, target);
    }
    assert.equal((await s.status()).link.state, 'up', 'still serving');
    assert.equal(s.child.exitCode, null);
  }
});

test('connections over the per-address cap (64) are closed at once; a socket that never sends a request is closed after 10 s; status answers meanwhile', { timeout: 60_000 }, async () => {
  const s = await start(['--no-probes']);
  const port = portOf(s);
  const held: net.Socket[] = [];
  const closed = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' });
    sock.on('close', () => closed.add(i)).on('error', () => {});
    held.push(sock);
  }
  await sleep(1000);
  assert.equal(closed.size, 200 - 64, `${closed.size} of 200 closed`);
  // Another address still gets in: the status probes answer (they failed 25 of 25 at the fd limit).
  const probe = () => new Promise<{ code: number; body: Record<string, unknown> }>((resolve, reject) => {
    http.get(`${s.base}api/status`, { localAddress: '127.0.0.2', headers: s.auth(), agent: false }, (r) => {
      let b = '';
      r.on('data', (d) => { b += d; }).on('end', () => resolve({ code: r.statusCode!, body: JSON.parse(b) }));
    }).on('error', reject);
  });
  for (let i = 0; i < 25; i++) assert.equal((await probe()).code, 200);
  assert.ok(((await probe()).body['refusedConnections'] as number) >= 136);
  // The 64 held ones sent nothing: the header timeout (10 s, checked every second) ends them.
  await sleep(11_500);
  assert.equal(closed.size, 200, 'silent sockets were closed by the header timeout');
  for (const h of held) h.destroy();
});

test('serve flags win: --interval is used, --no-probes and --bandwidth-threshold are what /api/settings says, fixed, and a save cannot undo them', async () => {
  const s = await start(['--no-probes', '--interval', '0.5', '--bandwidth-threshold', '1234']);
  const get = async () => (await fetch(`${s.base}api/settings`, { headers: s.auth() })).json() as Promise<Record<string, unknown>>;
  const settings = await get();
  assert.equal(settings['probes'], false);
  assert.equal(settings['samplingIntervalMs'], 500);
  assert.equal(settings['bandwidthThresholdBps'], 1234);
  const fixed = await (await fetch(`${s.base}api/settings/fixed`, { headers: s.auth() })).json();
  assert.deepEqual(fixed, {
    samplingIntervalMs: { value: 500, by: '--interval 0.5' }, probes: { value: false, by: '--no-probes' },
    bandwidthThresholdBps: { value: 1234, by: '--bandwidth-threshold 1234' },
  });
  // The dashboard saves every field; probes: true used to turn probing on (a DNS query went out).
  const saved = await fetch(`${s.base}api/settings`, {
    method: 'POST', headers: { ...s.auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...defaultSettings(), probes: true, units: 'bits' }),
  });
  const r = await saved.json() as { ok: boolean; settings: Record<string, unknown> };
  assert.equal(r.ok, true);
  assert.equal(r.settings['units'], 'bits', 'the rest of the save applies');
  assert.equal(r.settings['probes'], false);
  assert.equal(r.settings['samplingIntervalMs'], 500);
  assert.equal(r.settings['bandwidthThresholdBps'], 1234);
  // The engine runs at the flag's interval, with probes off.
  const snap = await firstSnapshot(s, 2);
  assert.equal(snap['intervalMs'], 500);
  assert.match(JSON.stringify((snap['health'] as { gatewayProbe: unknown }).gatewayProbe ?? 'no gateway'), /probes turned off|no gateway/);
});

test('tokens: made up by default and printed in the URL; from a 0600 file or NETWATCH_TOKEN (not argv); a group-readable file is refused', async () => {
  const dflt = await start(['--no-probes']);
  assert.ok(dflt.token && dflt.token.length >= 32, 'a random token, in the printed URL');
  assert.equal((await fetch(`${dflt.base}api/status`)).status, 401, 'without it, a local user reads nothing');
  assert.equal((await fetch(`${dflt.base}api/status`, { headers: dflt.auth() })).status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-token-'));
  try {
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'from-a-file-0123456789\n', { mode: 0o600 });
    const f = await start(['--no-probes', '--token-file', file], { token: 'from-a-file-0123456789' });
    assert.equal((await fetch(`${f.base}api/status`, { headers: f.auth() })).status, 200);
    assert.equal(f.url.includes('from-a-file'), true, 'the harness opens the page with it');
    const e = await start(['--no-probes'], { token: 'from-the-environment-0123', env: { NETWATCH_TOKEN: 'from-the-environment-0123' } });
    assert.equal((await fetch(`${e.base}api/status`, { headers: e.auth() })).status, 200);
    assert.equal((await fetch(`${e.base}api/status`)).status, 401);
    fs.chmodSync(file, 0o640);
    const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'netwatch.js');
    assert.throws(() => execFileSync(process.execPath, [bin, 'serve', '--port', '0', '--token-file', file], { stdio: 'pipe' }),
      (err: { status: number; stderr: Buffer }) => err.status === 2 && /readable by other users \(mode 640\): chmod 600/.test(err.stderr.toString()));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('HTTPS with --tls-cert/--tls-key (a self-signed cert made here); the Origin check expects https://', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-tls-'));
  try {
    const cert = path.join(dir, 'cert.pem'), key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const s = await start(['--no-probes', '--tls-cert', cert, '--tls-key', key]);
    assert.match(s.base, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const ca = fs.readFileSync(cert);
    const get = (p: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      https.get(`${s.base}${p}`, { ca, headers: { ...s.auth(), ...headers } }, (r) => { r.resume(); resolve(r.statusCode!); }).on('error', reject);
    });
    const origin = s.base.replace(/\/$/, '');
    assert.equal(await get('api/status', { Origin: origin }), 200);
    assert.equal(await get('api/status', { Origin: origin.replace('https:', 'http:') }), 403, 'the http:// origin is another origin');
    assert.equal(await get('', {}), 200, 'the page itself');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a hung engine (SIGSTOP) was reported up forever: now killed and restarted, /api/status says hung', { timeout: 60_000 }, async () => {
  const s = await start(['--no-probes', '--interval', '0.5']);
  await firstSnapshot(s);
  const pid = (await s.status()).enginePid!;
  process.kill(pid, 'SIGSTOP');
  let st = await s.status();
  const t0 = Date.now();
  while (st.link.state === 'up' && Date.now() - t0 < 20_000) { await sleep(250); st = await s.status(); }
  assert.equal(st.link.state, 'down');
  assert.match(st.link.reason!, /^engine hung \(no snapshot for 1\d s\), killed; restarting in 1 s$/);
  assert.ok(Date.now() - t0 < 15_000, 'within 5 intervals and the 10 s floor');
  await sleep(300);
  assert.throws(() => process.kill(pid, 0), 'the stopped engine was killed');
  while (st.link.state !== 'up' || st.enginePid === pid || st.enginePid === null) { await sleep(250); st = await s.status(); }
  assert.equal(st.restarts, 1);
  await firstSnapshot(s, 1);
});

test('a respawn that fails with EMFILE (the fd limit) crashed the server: now it reports it, keeps serving and recovers', { timeout: 60_000 }, async () => {
  const s = await start(['--no-probes']);
  await firstSnapshot(s);
  // One kept-alive connection, opened before the limit: status is read over it while no fd is left.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const status = () => new Promise<{ enginePid: number; link: { state: string; reason?: string } }>((resolve, reject) => {
    http.get(`${s.base}api/status`, { agent, headers: s.auth() }, (r) => {
      let b = '';
      r.on('data', (d) => { b += d; }).on('end', () => resolve(JSON.parse(b)));
    }).on('error', reject);
  });
  const pid = s.child.pid!;
  const engine = (await status()).enginePid;
  process.kill(engine, 'SIGKILL');
  await sleep(300); // the exit is seen; the respawn comes 1 s after it
  const open = fs.readdirSync(`/proc/${pid}/fd`).length;
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${open}:`]);
  try {
    await sleep(1500);
    const st = await status();
    assert.equal(s.child.exitCode, null, 'the server is still running');
    assert.equal(st.link.state, 'down');
    assert.match(st.link.reason!, /could not start: spawn EMFILE|EMFILE/);
  } finally {
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=20000:']);
  }
  let st = await status();
  for (let i = 0; i < 40 && st.link.state !== 'up'; i++) { await sleep(250); st = await status(); }
  assert.equal(st.link.state, 'up', 'restarted once descriptors were free again');
  agent.destroy();
});

