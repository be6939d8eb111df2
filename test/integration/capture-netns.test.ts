// The capture tier's accounts against traffic of known size in network namespaces this test makes:
// the engine runs in namespace A; B (with dnsmasq) and C are the remote hosts, each over its own veth.
// Per-host bytes with the names DNS gave them, a port set's bytes per port, protocol, direction and
// client, and connection outcomes (refused, successes, a silent address timing out). No packet
// leaves the three namespaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { EngineHost, nextMessage } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import type { EngineConfigPatch, EngineMessage, Snapshot, UsageAnswer } from '../../shared/index.ts';
import { DEFAULT_CAPTURE } from '../../electron/collector/platform.ts';
import { Lab, has, ipCmd } from './capture-lab.ts';
import { unprivilegedProblem, noNamespaces } from '../helpers.ts';

const A = `nwcn${process.pid}a`, B = `nwcn${process.pid}b`, C = `nwcn${process.pid}c`;
const A_B = '10.213.70.2', B_IP = '10.213.70.1', A_C = '10.213.71.2', C_IP = '10.213.71.1';
/** Routed from A through B, which does not forward: SYNs to it are dropped without an answer. */
const SILENT = '10.213.72.9';
let skip: string | false = false;
let lab: Lab | undefined;
const cleanup: Array<() => Promise<unknown> | void> = [];

before(async () => {
  if (process.getuid?.() !== 0) { skip = 'needs root (namespaces, capture)'; return; }
  if (!fs.existsSync(DEFAULT_CAPTURE)) { skip = 'nw-capture not built (libpcap-dev missing)'; return; }
  const missing = ['dnsmasq', 'dig'].filter((c) => !has(c));
  if (missing.length) { skip = `not installed: ${missing.join(', ')}`; return; }
  try { lab = new Lab(A, B, C); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwcnab', `${A_B}/24`], [B, 'nwcnba', `${B_IP}/24`]);
  lab.veth([A, 'nwcnac', `${A_C}/24`], [C, 'nwcnca', `${C_IP}/24`]);
  ipCmd('-n', A, 'route', 'add', '10.213.72.0/24', 'via', B_IP);
  await lab.dnsmasq(B, B_IP, [`address=/h1.nw.test/${B_IP}`, `address=/h2.nw.test/${C_IP}`]);
});

after(async () => {
  for (const c of cleanup.reverse()) await c();
  lab?.cleanup();
});

/** The engine in namespace A, as a host runs it (main.ts over IPC). */
async function engineInA(config: EngineConfigPatch = {}, env: NodeJS.ProcessEnv = {}): Promise<EngineHost> {
  const e = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 1000, ...config },
    { execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV], env });
  cleanup.push(() => e.stop());
  // The first snapshot whose capture status is known (ok, or unavailable for a reason other than "not read yet").
  const s = await e.next((x) => x.sources.capture?.state === 'ok' || !/not read yet/.test(JSON.stringify(x.sources.capture)));
  assert.deepEqual(s.sources.capture, { state: 'ok' }, 'the capture runs in A');
  return e;
}

const peerIn = (ns: string, ...args: Array<string | number>) => lab!.peer(ns, ...args);

/** 100 connects each to a closed port of B, an open one and the silent address, from a client in A. */
function connectsFromA(open: number): Record<string, number> {
  const script = `const net = require('node:net');
    const one = (host, port, ms) => new Promise((res) => { const s = net.connect({ host, port }); const t = setTimeout(() => { s.destroy(); res('timeout'); }, ms);
      s.once('connect', () => { clearTimeout(t); s.destroy(); res('ok'); }); s.once('error', (e) => { clearTimeout(t); res(e.code); }); });
    (async () => { const out = {};
      const add = (r) => { out[r] = (out[r] || 0) + 1; };
      for (let i = 0; i < 100; i++) add(await one('${B_IP}', 9, 3000));
      for (let i = 0; i < 100; i++) add(await one('${B_IP}', ${open}, 3000));
      (await Promise.all(Array.from({ length: 100 }, () => one('${SILENT}', 80, 1500)))).forEach(add);
      console.log(JSON.stringify(out)); })();`;
  return JSON.parse(execFileSync('ip', ['netns', 'exec', A, process.execPath, '-e', script]).toString()) as Record<string, number>;
}

/** Starts every client, waits for each one's {sent, received}, then for two polls after the last. */
async function run(engine: EngineHost, clients: ChildProcess[]): Promise<{ results: Array<{ sent: number; received: number }>; snap: Snapshot }> {
  // Two polls with the clients' sockets listed before any byte moves.
  await engine.nextPoll((await engine.nextPoll(null)).connectionsTs);
  const done = clients.map((c) => nextMessage<{ sent: number; received: number }>(c));
  for (const c of clients) c.send({ go: true });
  const results = await Promise.all(done);
  const at = Date.now();
  const s = await engine.next((x) => (x.connectionsTs ?? 0) > at);
  return { results, snap: await engine.nextPoll(s.connectionsTs) };
}

/** The engine's usage history totals by `by` (it flushes before answering). */
async function usageBy(engine: EngineHost, by: 'host' | 'service'): Promise<Map<string, { rx: number; tx: number }>> {
  const requestId = `usage-${by}`;
  const answer = new Promise<UsageAnswer>((res) => engine.child.on('message', (m: EngineMessage) => { if (m.type === 'usage' && m.requestId === requestId) res(m.answer); }));
  engine.send({ type: 'query-usage', requestId, query: { kind: 'totals', from: 0, to: Date.now() + 3_600_000, by } });
  const a = await answer;
  assert.equal(a.kind, 'totals', JSON.stringify(a));
  return new Map(a.kind === 'totals' ? a.rows.map((r) => [r.key, { rx: r.rxBytes, tx: r.txBytes }]) : []);
}

const within = (got: number, want: number, pct: number, what: string) =>
  assert.ok(Math.abs(got - want) <= (want * pct) / 100, `${what}: ${got} B, expected ${want} B ± ${pct} %`);

test('two remote hosts at 0.5 and 1.5 MB/s: per-host bytes within 2 %, named by the DNS answers seen', async (t) => {
  if (skip) return t.skip(skip);
  await peerIn(B, 'tcp-server', B_IP, 7001, 0);
  await peerIn(C, 'tcp-server', C_IP, 7001, 0);
  const engine = await engineInA({}, { NETWATCH_HISTORY: `${lab!.tmp()}/hosts.sqlite` });
  for (const name of ['h1.nw.test', 'h2.nw.test']) execFileSync('ip', ['netns', 'exec', A, 'dig', `@${B_IP}`, '+short', '+tries=1', name], { stdio: 'ignore' });
  const c1 = await peerIn(A, 'tcp-client', B_IP, 7001, 1_000_000, 2000);
  const c2 = await peerIn(A, 'tcp-client', C_IP, 7001, 3_000_000, 2000);
  const { results, snap } = await run(engine, [c1, c2]);
  const hosts = snap.capture!.hosts;
  const h = (ip: string) => hosts.find((x) => x.address === ip)!;
  t.diagnostic(`sent ${results.map((r) => r.sent).join(' / ')} B; host B tx ${h(B_IP)?.txBytes} ${JSON.stringify(h(B_IP)?.names)}, host C tx ${h(C_IP)?.txBytes} ${JSON.stringify(h(C_IP)?.names)}`);
  within(h(B_IP).txBytes, results[0]!.sent, 2, 'to host B');
  within(h(C_IP).txBytes, results[1]!.sent, 2, 'to host C');
  assert.deepEqual(h(B_IP).names, ['h1.nw.test']);
  assert.deepEqual(h(C_IP).names, ['h2.nw.test']);
  // Per app: both clients are one app (the same script), with both hosts.
  const app = snap.capture!.appHosts.find((a) => a.hosts.some((x) => x.address === C_IP))!;
  assert.ok(app, 'an app with host C');
  within(app.hosts.find((x) => x.address === C_IP)!.txBytes, results[1]!.sent, 2, 'app to host C');
  within(app.hosts.find((x) => x.address === B_IP)!.txBytes, results[0]!.sent, 2, 'app to host B');
  // TCP stays credited from the socket counters; the capture's bytes on the same sockets agree.
  const x = snap.capture!.tcpCrossCheck;
  t.diagnostic(`TCP cross-check: sockets ${x.socketBytes} B, capture ${x.captureBytes} B over ${x.flows} flow-polls`);
  within(x.captureBytes, x.socketBytes, 2, 'capture against socket counters');
  assert.ok(x.socketBytes >= 0.98 * (results[0]!.sent + results[1]!.sent));
  // The usage history keeps the same per-host bytes (host rows from the capture).
  const hist = await usageBy(engine, 'host');
  t.diagnostic(`history by host: ${JSON.stringify([...hist])}`);
  within(hist.get(B_IP)?.tx ?? 0, results[0]!.sent, 2, 'history, host B');
  within(hist.get(C_IP)?.tx ?? 0, results[1]!.sent, 2, 'history, host C');
});

test('a connected UDP client in A to a server in B (QUIC-like): the client process credited within 3 % both ways', async (t) => {
  if (skip) return t.skip(skip);
  await peerIn(B, 'udp-server', B_IP, 7443, 300);
  const engine = await engineInA();
  const client = await peerIn(A, 'udp-client', B_IP, 7443, 2_000_000, 1000);
  const before = await engine.nextPoll((await engine.nextPoll(null)).connectionsTs);
  const { results: [r], snap } = await run(engine, [client]);
  const p0 = before.processes.find((p) => p.pid === client.pid), p1 = snap.processes.find((p) => p.pid === client.pid)!;
  const tx = p1.txBytes - (p0?.txBytes ?? 0), rx = p1.rxBytes - (p0?.rxBytes ?? 0);
  t.diagnostic(`client sent ${r!.sent} B, got ${r!.received} B; credited tx ${tx} B, rx ${rx} B`);
  within(tx, r!.sent, 3, 'client tx');
  within(rx, r!.received, 3, 'client rx');
  assert.deepEqual(snap.attribution.udp, { credited: true, reason: null });
});

test('DNS messages the engine counts: 30 dig queries, 10 for names that do not exist', async (t) => {
  if (skip) return t.skip(skip);
  const engine = await engineInA();
  const before = (await engine.next((x) => !!x.capture)).capture!.dns;
  for (let i = 0; i < 30; i++) {
    execFileSync('ip', ['netns', 'exec', A, 'dig', `@${B_IP}`, '+tries=1', '+time=2', i % 3 === 2 ? `missing${i}.nw.test` : 'h1.nw.test'], { stdio: 'ignore' });
  }
  const at = Date.now();
  const s = await engine.next((x) => (x.connectionsTs ?? 0) > at + 500);
  const d = s.capture!.dns;
  t.diagnostic(`dns: ${JSON.stringify(d)}`);
  assert.deepEqual({ q: d.queries - before.queries, r: d.responses - before.responses, nx: d.nxdomain - before.nxdomain, other: d.otherErrors - before.otherErrors },
    { q: 30, r: 30, nx: 10, other: 0 });
});

test('port set {9981/tcp, 9984/tcp, 9984/udp}: per port, protocol, direction and client within 2 %; 9990 not counted', async (t) => {
  if (skip) return t.skip(skip);
  await peerIn(A, 'tcp-server', '0.0.0.0', 9981, 500_000);
  await peerIn(A, 'tcp-server', '0.0.0.0', 9984, 200_000);
  await peerIn(A, 'udp-server', '0.0.0.0', 9984, 100);
  await peerIn(A, 'tcp-server', '0.0.0.0', 9990, 100_000);
  const engine = await engineInA({ portSets: [{ name: 'hostd', ports: [{ port: 9981, protocol: 'tcp' }, { port: 9984, protocol: 'tcp' }, { port: 9984, protocol: 'udp' }] }] },
    { NETWATCH_HISTORY: `${lab!.tmp()}/services.sqlite` });
  const clients = [
    await peerIn(B, 'tcp-client', A_B, 9981, 1_000_000, 2000),
    await peerIn(B, 'udp-client', A_B, 9984, 500_000, 2000),
    await peerIn(C, 'tcp-client', A_C, 9984, 2_000_000, 2000),
    await peerIn(C, 'tcp-client', A_C, 9990, 1_000_000, 2000),
  ];
  const { results, snap } = await run(engine, clients);
  const rows = snap.capture!.services;
  t.diagnostic(`clients sent/received ${results.map((r) => `${r.sent}/${r.received}`).join(', ')}; rows ${JSON.stringify(rows.map((r) => [r.port, r.protocol, r.role, r.peer, r.rxBytes, r.txBytes]))}`);
  const row = (port: number, protocol: string, peer: string) => rows.filter((r) => r.port === port && r.protocol === protocol && r.peer === peer);
  const expect = [[9981, 'tcp', B_IP, results[0]!], [9984, 'udp', B_IP, results[1]!], [9984, 'tcp', C_IP, results[2]!]] as const;
  for (const [port, protocol, peer, r] of expect) {
    const m = row(port, protocol, peer);
    assert.equal(m.length, 1, `one row for ${port}/${protocol} from ${peer}`);
    assert.equal(m[0]!.role, 'server');
    assert.equal(m[0]!.set, 'hostd');
    within(m[0]!.rxBytes, r.sent, 2, `${port}/${protocol} from ${peer}, up (received here)`);
    within(m[0]!.txBytes, r.received, 2, `${port}/${protocol} to ${peer}, down (sent from here)`);
  }
  assert.ok(results[0]!.received === 500_000 && results[2]!.received === 200_000 && results[1]!.received > 0, 'the replies arrived');
  assert.equal(rows.length, 3, 'nothing else: 9990 is not in the set');
  // The usage history by service: the same bytes per port and protocol, 9990 absent.
  const hist = await usageBy(engine, 'service');
  t.diagnostic(`history by service: ${JSON.stringify([...hist])}`);
  within(hist.get('9981/tcp')?.rx ?? 0, results[0]!.sent, 2, 'history 9981/tcp up');
  within(hist.get('9984/udp')?.rx ?? 0, results[1]!.sent, 2, 'history 9984/udp up');
  within(hist.get('9984/tcp')?.tx ?? 0, results[2]!.received, 2, 'history 9984/tcp down');
  assert.equal(hist.has('9990/tcp'), false);
});

test('100 connects each to a closed port, an open port and a silent address: 100 refused, 100 successes, 100 timed out', async (t) => {
  if (skip) return t.skip(skip);
  await peerIn(B, 'tcp-server', B_IP, 7002, 0);
  const engine = await engineInA();
  const out = connectsFromA(7002);
  assert.deepEqual(out, { ECONNREFUSED: 100, ok: 100, timeout: 100 }, 'what the clients saw');
  // The helper reports a SYN as timed out 5 s after it was first sent.
  const at = Date.now() + 5500;
  let s = await engine.next((x) => (x.connectionsTs ?? 0) > at, 30_000);
  s = await engine.nextPoll(s.connectionsTs);
  const m = s.connects!.total;
  t.diagnostic(`connects: ${JSON.stringify(m)}`);
  assert.equal(m.method, 'handshakes');
  assert.deepEqual({ attempts: m.attempts, successes: m.successes, refused: m.refused, timedOut: m.timedOut, failures: m.failures },
    { attempts: 300, successes: 100, refused: 100, timedOut: 100, failures: 200 });
  assert.ok(m.errorPct !== null && Math.abs(m.errorPct - 200 / 3) < 1e-9);
  assert.ok(m.avgConnectMs! > 0 && m.avgConnectMs! < 50 && m.p95ConnectMs! >= m.avgConnectMs! * 0.5 && m.p95ConnectMs! < 100, `connect times avg ${m.avgConnectMs} ms, p95 ${m.p95ConnectMs} ms over a veth`);
});

test('unprivileged engine (uid 65534, no capture): the same 300 connects counted from socket births and destroy events', async (t) => {
  if (skip) return t.skip(skip);
  const why = unprivilegedProblem();
  if (why) return t.skip(why);
  await peerIn(B, 'tcp-server', B_IP, 7003, 0);
  const e = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 1000 }, {
    execPath: 'ip',
    execArgv: ['netns', 'exec', A, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV],
  });
  cleanup.push(() => e.stop());
  const first = await e.next((x) => x.sources.destroyEvents.state === 'ok' && x.connectionsTs !== null && x.sources.capture?.state === 'unavailable');
  t.diagnostic(`capture: ${JSON.stringify(first.sources.capture)}`);
  assert.match(JSON.stringify(first.sources.capture), /CAP_NET_RAW/);
  const out = connectsFromA(7003);
  assert.deepEqual(out, { ECONNREFUSED: 100, ok: 100, timeout: 100 }, 'what the clients saw');
  const at = Date.now();
  let s = await e.next((x) => (x.connectionsTs ?? 0) > at, 30_000);
  s = await e.nextPoll(s.connectionsTs);
  const m = s.connects!.total;
  t.diagnostic(`connects: ${JSON.stringify(m)}`);
  assert.equal(m.method, 'socket-events');
  assert.deepEqual({ attempts: m.attempts, successes: m.successes, refused: m.refused, timedOut: m.timedOut, failures: m.failures },
    { attempts: 300, successes: 100, refused: 100, timedOut: 100, failures: 200 });
  assert.equal(m.avgConnectMs, null, 'no connect time without the handshakes');
});
