// `netwatch exporter` and serve's /metrics as Prometheus meets them: valid exposition, bearer tokens by
// serve's rules, a bounded series count with 500 processes alive, SIGHUP token reload, clean SIGTERM.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { seriesBound } from '../../electron/collector/export/metrics.ts';
import { manyApps } from '../../bench/lab.ts';
import { startServe } from '../e2e/harness.ts';
import { unprivilegedProblem } from '../helpers.ts';
import { BIN, childPids, promtoolCheck, startExporter, tokenFile, toolSkip, type ExporterChild } from './exporter-host.ts';

const run = promisify(execFile);
const TOKEN = 'exporter-token-0123456789';
const open: ExporterChild[] = [];
after(async () => { for (const e of open) await e.stop(); });
const skip = toolSkip('promtool', 'prometheus');
const get = (url: string, token?: string) => fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const series = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

test('exporter: promtool check metrics passes; off loopback it refuses to start without a token', { skip }, async () => {
  const e = await startExporter(['--no-probes', '--interval', '0.5']);
  open.push(e);
  await new Promise((r) => setTimeout(r, 2500));
  const r = await get(e.metricsUrl);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await r.text();
  const check = promtoolCheck(text);
  assert.equal(check.status, 0, check.output);
  assert.equal(check.output, '', 'no lint findings');
  assert.match(text, /^netwatch_engine_up 1$/m);
  assert.match(text, /^netwatch_tcp_sockets\{state="LISTEN"\} [1-9]/m);
  // As root with nw-capture built the capture runs: its series are in what promtool checked.
  if (/^netwatch_source_up\{source="capture"\} 1$/m.test(text)) assert.match(text, /^netwatch_tcp_connect_attempts_total\{method="handshakes"\} \d+$/m);
  assert.equal((await get(e.metricsUrl.replace('/metrics', '/other'))).status, 404);
  for (const args of [['--host', '0.0.0.0'], ['--host', '::', '--no-token'], ['--host', '0.0.0.0', '--token', 'short']]) {
    const f = await run(process.execPath, [BIN, 'exporter', '--port', '0', ...args]).then(() => null, (x: { code: number; stderr: string }) => x);
    assert.ok(f && f.code === 2 && /without a token|loopback only|at least 16/.test(f.stderr), `exporter ${args.join(' ')}: ${f?.stderr}`);
  }
});

test('as uid 65534 (no capture): connection outcomes from socket-destroy events, no capture series; promtool passes', { skip: skip || (process.getuid?.() !== 0 ? 'needs root to switch to uid 65534' : unprivilegedProblem() ?? false) }, async () => {
  const e = await startExporter(['--no-probes', '--interval', '0.5'], { HOME: '/tmp' }, { uid: 65534, gid: 65534 });
  open.push(e);
  // Refused connects on loopback, made as the same user, once the engine follows destroy events.
  let text = '';
  for (let i = 0; i < 40 && !/^netwatch_tcp_connect_failures_total\{method="socket-events",reason="refused"\} [1-9]/m.test(text); i++) {
    await new Promise<void>((r) => { const s = net.connect(9, '127.0.0.1'); s.on('error', () => r()); s.on('connect', () => { s.destroy(); r(); }); });
    await new Promise((r) => setTimeout(r, 500));
    text = await (await get(e.metricsUrl)).text();
  }
  assert.match(text, /^netwatch_source_up\{source="capture"\} 0$/m);
  assert.match(text, /^netwatch_tcp_connect_failures_total\{method="socket-events",reason="refused"\} [1-9]/m, 'refused connects counted without the capture');
  assert.doesNotMatch(text, /^netwatch_(capture_|udp_|dns_queries|tcp_connect_duration)/m, 'nothing the capture alone knows');
  const check = promtoolCheck(text);
  assert.equal(check.status, 0, check.output);
  assert.equal(check.output, '');
});

test('serve: /metrics behind the dashboard\'s token, and it passes promtool', { skip }, async () => {
  const s = await startServe(['--no-probes', '--token-file', tokenFile(TOKEN)], { token: TOKEN });
  try {
    assert.equal((await get(`${s.base}metrics`)).status, 401);
    assert.equal((await get(`${s.base}metrics`, 'wrong-token-0123456789abc')).status, 401);
    let text = '';
    for (let i = 0; i < 80 && !/^netwatch_source_up\{source="connections"\} 1$/m.test(text); i++) {
      await new Promise((r) => setTimeout(r, 250));
      text = await (await get(`${s.base}metrics`, TOKEN)).text();
    }
    const check = promtoolCheck(text);
    assert.equal(check.status, 0, check.output);
    assert.match(text, /^netwatch_source_up\{source="connections"\} 1$/m);
  } finally { await s.stop(); }
});

test('token: required when given; SIGHUP re-reads the file (the old token then fails); SIGTERM exits 0 and stops the engine', async () => {
  const file = tokenFile(TOKEN);
  const e = await startExporter(['--no-probes', '--token-file', file]);
  open.push(e);
  assert.equal((await get(e.metricsUrl)).status, 401);
  assert.equal((await get(e.metricsUrl, TOKEN)).status, 200);
  const next = 'rotated-token-abcdefghijklmnop';
  fs.writeFileSync(file, next, { mode: 0o600 });
  e.child.kill('SIGHUP');
  for (let i = 0; i < 40 && !/token re-read/.test(e.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await get(e.metricsUrl, TOKEN)).status, 401);
  assert.equal((await get(e.metricsUrl, next)).status, 200);
  fs.chmodSync(file, 0o644); // a reload that would weaken the token keeps the old one
  e.child.kill('SIGHUP');
  for (let i = 0; i < 40 && !/kept the old token/.test(e.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(e.stderr(), /kept the old token: .*readable by other users/);
  assert.equal((await get(e.metricsUrl, next)).status, 200);
  const engines = childPids(e.child.pid!);
  assert.equal(engines.length, 1, 'one supervised engine');
  const { code, ms } = await e.stop('SIGTERM');
  assert.equal(code, 0);
  assert.ok(ms < 5000, `${ms} ms to exit`);
  assert.throws(() => process.kill(engines[0]!, 0), /ESRCH/, 'the engine is gone too');
});

test('500 processes alive: series stay under the documented bound; 10 apps named, the rest under "other"', { skip }, async () => {
  const apps = await manyApps(500);
  try {
    const e = await startExporter(['--no-probes', '--top-apps', '10']);
    open.push(e);
    let text = '';
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      text = await (await get(e.metricsUrl)).text();
      if (Number(/^netwatch_apps (\d+)/m.exec(text)?.[1] ?? 0) >= 500) break;
    }
    assert.ok(Number(/^netwatch_apps (\d+)/m.exec(text)?.[1]) >= 500, 'the engine sees the 500 applications');
    const ifaces = series(text).filter((l) => l.startsWith('netwatch_interface_info')).length;
    const wifi = series(text).filter((l) => l.startsWith('netwatch_wifi_associated')).length;
    const n = series(text).length;
    const bound = seriesBound(10, ifaces, wifi);
    assert.ok(n <= bound, `${n} series > bound ${bound}`);
    const appSeries = series(text).filter((l) => l.startsWith('netwatch_app_processes'));
    // Two of the machine's apps may share a display name (one series): at most 10 named, plus other.
    assert.ok(appSeries.length <= 11 && appSeries.length >= 2, `top 10 + other: ${appSeries.join(', ')}`);
    assert.ok(Number(appSeries.find((l) => l.includes('app="other"'))!.split(' ').pop()) >= 490, 'the rest under other');
    assert.ok(appSeries.reduce((a, l) => a + Number(l.split(' ').pop()), 0) >= 500, 'every process counted once, named or other');
    assert.doesNotMatch(text, /\b(pid|local|remote|address)="/);
    const check = promtoolCheck(text);
    assert.equal(check.status, 0, check.output);
    console.log(`# 500 processes: ${n} series (bound ${bound}: ${ifaces} interfaces, top 10 apps)`);
  } finally { apps.cleanup(); }
});

test('nothing node_exporter already exports by default: its series checked against ours on this machine', { skip: toolSkip('prometheus-node-exporter', 'prometheus-node-exporter') }, async () => {
  const port = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  const ne = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const e = await startExporter(['--no-probes']);
  open.push(e);
  try {
    let theirs = '';
    for (let i = 0; i < 50 && !theirs; i++) { try { theirs = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(); } catch { await new Promise((r) => setTimeout(r, 200)); } }
    const has = (name: string) => new RegExp(`^${name}[{ ]`, 'm').test(theirs);
    // What we leave to node_exporter (README: take these from it) is there by default…
    for (const n of ['node_network_receive_bytes_total', 'node_network_transmit_bytes_total', 'node_netstat_Tcp_RetransSegs', 'node_netstat_Tcp_ActiveOpens', 'node_netstat_Tcp_CurrEstab', 'node_cpu_seconds_total', 'node_memory_MemAvailable_bytes']) assert.ok(has(n), `node_exporter exports ${n}`);
    // …and what we export from the same kernel counters is not (tcpstat and wifi are off by default).
    for (const n of ['node_netstat_Tcp_AttemptFails', 'node_netstat_Tcp_EstabResets', 'node_tcp_connection_states', 'node_wifi_station_signal_dbm']) assert.ok(!has(n), `node_exporter does not export ${n} by default`);
  } finally { ne.kill(); }
});
