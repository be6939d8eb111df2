// The intelligence detectors on real traffic, through the real engine and nw-capture, in two network
// namespaces joined by a veth pair; an engine runs in each. nmap SYN and connect scans of 100 ports
// both ways: a port-scan alert naming the scanner within 30 s on the scanned side and on the scanning
// side. A scripted client beaconing every 5 s ± 5 % with one beat missed: a beaconing alert after the
// fifth attempt, period ≈ 5 s. dig with 100-byte names and 60 random subdomains a minute against
// dnsmasq: DNS-tunnel alerts. No packet leaves the two namespaces.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineHost, nextMessage } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import type { Alert, Snapshot } from '../../shared/index.ts';
import { DEFAULT_CAPTURE } from '../../electron/collector/platform.ts';
import { Lab, has } from './capture-lab.ts';
import { ROOT, unprivilegedProblem, noNamespaces } from '../helpers.ts';

const run = promisify(execFile);
const A = `nwin${process.pid}a`, B = `nwin${process.pid}b`;
const A_IP = '10.213.85.2', B_IP = '10.213.85.1';
let skip: string | false = false;
let lab: Lab | undefined;
const engines: EngineHost[] = [];
let inA: EngineHost, inB: EngineHost;

async function engineIn(ns: string): Promise<EngineHost> {
  const e = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 1000 },
    { execPath: 'ip', execArgv: ['netns', 'exec', ns, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV] });
  engines.push(e);
  const s = await e.next((x) => x.sources.capture?.state === 'ok' || !/not read yet/.test(JSON.stringify(x.sources.capture)));
  assert.deepEqual(s.sources.capture, { state: 'ok' }, `the capture runs in ${ns}`);
  return e;
}

before(async () => {
  if (process.getuid?.() !== 0) { skip = 'needs root (namespaces, capture)'; return; }
  if (!fs.existsSync(DEFAULT_CAPTURE)) { skip = 'nw-capture not built (libpcap-dev missing)'; return; }
  const missing = ['nmap', 'dnsmasq', 'dig'].filter((c) => !has(c));
  if (missing.length) { skip = `not installed: ${missing.join(', ')}`; return; }
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwina', `${A_IP}/24`], [B, 'nwinb', `${B_IP}/24`]);
  await lab.dnsmasq(B, B_IP, [`address=/ok.nw.test/${B_IP}`]);
  await lab.peer(B, 'tcp-server', B_IP, 7443, 10); // the beacon's destination
  [inA, inB] = await Promise.all([engineIn(A), engineIn(B)]);
  // Two capture reports, so both helpers see everything from here on.
  await Promise.all([inA, inB].map((e) => e.nextPoll(null).then((s) => e.nextPoll(s.connectionsTs))));
});

after(async () => {
  for (const e of engines) await e.stop();
  lab?.cleanup();
});

/** The first snapshot with an active alert `key` triggered at or after `since` (ms). */
const alertIn = (e: EngineHost, key: string, since: number, timeoutMs = 30_000): Promise<{ alert: Alert; snap: Snapshot }> =>
  e.next((s) => s.alerts.active.some((a) => a.key === key && a.lastTs >= since), timeoutMs)
    .then((snap) => ({ alert: snap.alerts.active.find((a) => a.key === key)!, snap }));

for (const [kind, flag] of [['SYN', '-sS'], ['connect', '-sT']] as const) {
  for (const [scanner, scannerIp, victimIp] of [[B, B_IP, A_IP], [A, A_IP, B_IP]] as const) {
    test(`nmap ${kind} scan (${flag}) of 100 ports from ${scanner === A ? 'A' : 'B'}: a port-scan alert naming the scanner within 30 s, on both sides`, async (t) => {
      if (skip) return t.skip(skip);
      const start = Date.now();
      await run('ip', ['netns', 'exec', scanner, 'nmap', flag, '-n', '-Pn', '-p', '1-100', '--max-retries', '0', '-T4', victimIp], { timeout: 60_000 });
      const key = `portscan:${scannerIp}:${victimIp}`;
      const [scanned, scanning] = await Promise.all([alertIn(scanner === A ? inB : inA, key, start), alertIn(scanner === A ? inA : inB, key, start)]);
      for (const [side, { alert }, direction] of [['scanned', scanned, 'inbound'], ['scanning', scanning, 'outbound']] as const) {
        t.diagnostic(`${side} side, after ${alert.lastTs - start} ms: ${alert.title} — ${alert.detail}`);
        assert.ok(alert.lastTs - start <= 30_000, `${side}: within 30 s`);
        assert.match(alert.title, new RegExp(scannerIp.replaceAll('.', '\\.')));
        assert.equal(alert.evidence?.source, scannerIp);
        assert.equal(alert.evidence?.destination, victimIp);
        assert.equal(alert.evidence?.direction, direction, side);
        assert.ok(alert.evidence!.ports!.count >= 20 && alert.evidence!.ports!.count <= 100, `${alert.evidence!.ports!.count} ports`);
        assert.ok(alert.evidence!.ports!.sample.every((p) => p >= 1 && p <= 100));
      }
    });
  }
}

test('unprivileged engine (uid 65534, no capture): an nmap connect scan from its machine still raises the port-scan alert, from socket-destroy events', async (t) => {
  if (skip) return t.skip(skip);
  const why = unprivilegedProblem();
  if (why) return t.skip(why);
  const e = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 1000 }, {
    execPath: 'ip',
    execArgv: ['netns', 'exec', A, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV],
  });
  engines.push(e);
  const first = await e.next((x) => x.sources.destroyEvents.state === 'ok' && x.connectionsTs !== null && x.sources.capture?.state === 'unavailable');
  assert.match(JSON.stringify(first.sources.capture), /CAP_NET_RAW/);
  await e.nextPoll(first.connectionsTs);
  const start = Date.now();
  await run('ip', ['netns', 'exec', A, 'nmap', '-sT', '-n', '-Pn', '-p', '1-100', '--max-retries', '0', '-T4', B_IP], { timeout: 60_000 });
  const { alert } = await alertIn(e, `portscan:${A_IP}:${B_IP}`, start).catch((err) => {
    t.diagnostic(`connects: ${JSON.stringify(e.snapshots.at(-1)?.connects?.total)}; alerts: ${JSON.stringify(e.snapshots.at(-1)?.alerts)}`);
    throw err;
  });
  t.diagnostic(`after ${alert.lastTs - start} ms: ${alert.detail}`);
  assert.equal(alert.evidence?.direction, 'outbound');
  assert.equal(alert.evidence?.source, A_IP);
  assert.ok(alert.evidence!.ports!.count >= 20);
});

describe('beacon and DNS tunnel, side by side (both take a minute of real time)', { concurrency: true }, () => {
  test('a client connecting every 5 s ± 5 %, one beat missed: a beaconing alert after the fifth attempt, period ≈ 5 s', async (t) => {
    if (skip) return t.skip(skip);
    const key = `beaconing:${A_IP}:${B_IP}:7443`;
    const c = fork(path.join(ROOT, 'test', 'integration', 'peers', 'beacon-client.ts'), [B_IP, '7443', '5000', '5', '3', '5'],
      { execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    lab!.children.push(c);
    await nextMessage(c);
    const attempts: number[] = [];
    const done = new Promise<void>((res) => c.on('message', (m: { attempt?: number; at?: number; done?: boolean }) => { if (m.at) attempts.push(m.at); if (m.done) res(); }));
    const { alert } = await alertIn(inA, key, 0, 60_000);
    await done;
    t.diagnostic(`attempts at +${attempts.map((x) => x - attempts[0]!).join(', +')} ms; alert at +${alert.firstTs - attempts[0]!} ms: ${alert.detail}`);
    assert.equal(attempts.length, 5);
    assert.ok(alert.firstTs >= attempts[4]!, 'not before the fifth attempt');
    const earlier = inA.snapshots.filter((s) => s.ts < attempts[4]!).flatMap((s) => s.alerts.active).filter((a) => a.category === 'beaconing');
    assert.deepEqual(earlier, [], 'no beaconing alert before the fifth attempt');
    assert.ok(Math.abs(alert.evidence!.periodMs! - 5000) <= 250, `period ${alert.evidence!.periodMs} ms`);
    assert.ok(alert.evidence!.jitterPct! < 15);
    assert.equal(alert.evidence!.intervalsMs!.length, 4);
    assert.ok(alert.evidence!.intervalsMs!.some((d) => d > 9000), 'the missed beat is one of the intervals');
    assert.match(alert.evidence!.app?.name ?? '', /beacon-client/, 'the app, from the connection poll that saw the first attempts\' sockets');
  });

  test('dig: 100-byte names, and 60 random subdomains a minute of one domain: DNS-tunnel alerts', async (t) => {
    if (skip) return t.skip(skip);
    const dig = (name: string) => run('ip', ['netns', 'exec', A, 'dig', `@${B_IP}`, '+tries=1', '+time=1', name], { timeout: 10_000 });
    const start = Date.now();
    const long = `${'a'.repeat(60)}.${'b'.repeat(26)}.long.nw.test`;
    assert.equal(long.length, 100);
    await dig(long);
    const l = await alertIn(inA, 'dns-tunnel:long:nw.test', start);
    t.diagnostic(`${l.alert.title} — ${l.alert.detail}`);
    assert.equal(l.alert.value, 100);
    assert.equal(l.alert.evidence?.names?.[0], long);
    assert.equal(l.alert.evidence?.source, A_IP);
    // One random name a second under tun.example.org (its parent: example.org), for up to 70 s.
    const rateStart = Date.now();
    const raised = alertIn(inA, 'dns-tunnel:rate:example.org', rateStart, 75_000);
    let stop = false, sent = 0;
    void raised.finally(() => { stop = true; });
    while (!stop && sent < 70) {
      const next = rateStart + sent * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      void dig(`${Math.random().toString(36).slice(2, 10)}.tun.example.org`).catch(() => {});
      sent++;
    }
    const r = await raised;
    t.diagnostic(`after ${sent} queries (${Math.round((r.alert.firstTs - rateStart) / 1000)} s): ${r.alert.detail}`);
    assert.ok(sent >= 51, `${sent} queries sent: more than 50 in the minute are needed`);
    assert.ok(r.alert.evidence!.queriesPerMin! > 50 && r.alert.evidence!.queriesPerMin! <= 61);
    assert.ok(r.alert.evidence!.uniqueSubdomains! > 30);
    assert.equal(r.alert.evidence?.domain, 'example.org');
    assert.ok(r.alert.evidence!.names!.every((n) => n.endsWith('.tun.example.org')));
  });
});
