// The capture tier's pure parts over real helper output (nw-capture -r on pcaps made in namespaces,
// test/fixtures/linux/nw-capture-r-*): local ends of flows, per-host and per-service accounts, names
// from DNS answers, connection outcomes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { parseCaptureOutput } from '../../../../electron/collector/capture.ts';
import { emptySocket, type SocketSample } from '../../../../electron/collector/sockets.ts';
import { SocketIndex, flowEnds } from '../../../../electron/collector/engine/flow-credit.ts';
import { DnsNames, FlowAccounts } from '../../../../electron/collector/engine/flow-accounts.ts';
import { ConnectTracker } from '../../../../electron/collector/engine/connect-metrics.ts';

const tcp = parseCaptureOutput(fixture('linux', 'nw-capture-r-T3000-tcp--netns.txt'));
const dns = parseCaptureOutput(fixture('linux', 'nw-capture-r-dns--netns-dnsmasq.txt'));
const own = new Set(['10.213.50.2']);
const sock = (o: Partial<SocketSample>): SocketSample => ({ ...emptySocket(), ...o });

test('flow ends: the local side of each TCP flow, matched to its connected socket first, the listener otherwise', () => {
  const flows = tcp.reports.flatMap((r) => r.flows);
  // The client socket of the first 8080 connection, and a listener on the same local port: the exact 4-tuple wins.
  const sockets = [
    sock({ localIp: '0.0.0.0', localPort: 38648, state: 'LISTEN', pid: 11 }),
    sock({ localIp: '10.213.50.2', localPort: 38648, remoteIp: '10.213.50.1', remotePort: 8080, pid: 22, bytesAcked: 0, bytesReceived: 5 }),
  ];
  const ends = flowEnds(flows, new SocketIndex(sockets), own);
  assert.equal(ends.length, 5, 'one local end per flow: the peers are remote');
  const e = ends.find((x) => x.localPort === 38648)!;
  assert.deepEqual({ pid: e.pid, exact: e.exact, rx: e.rx, tx: e.tx, loop: e.loop }, { pid: 22, exact: true, rx: 5, tx: 0, loop: false });
  assert.equal(ends.find((x) => x.localPort === 38658)!.pid, null, 'no listed socket owns it');
  // Both ends local: two ends, each its own side.
  const loop = flowEnds(flows.slice(0, 1), new SocketIndex([]), new Set(['10.213.50.2', '10.213.51.9']));
  assert.equal(loop.length, 2);
  assert.ok(loop.every((x) => x.loop));
});

test('UDP: a connected socket by its 4-tuple, else the socket bound to the local port (exact address before the wildcard)', () => {
  const idx = new SocketIndex([
    sock({ protocol: 'udp', state: 'UNCONN', localIp: '0.0.0.0', localPort: 53000, pid: 1 }),
    sock({ protocol: 'udp', state: 'UNCONN', localIp: '10.213.50.2', localPort: 53000, pid: 2 }),
    sock({ protocol: 'udp', state: 'ESTAB', localIp: '10.213.50.2', localPort: 53000, remoteIp: '10.213.50.1', remotePort: 53, pid: 3 }),
    sock({ protocol: 'tcp', state: 'LISTEN', localIp: '0.0.0.0', localPort: 53000, pid: 4 }),
  ]);
  const pid = (ip: string, rip: string, rport: number) => { const m = idx.find('udp', ip, 53000, rip, rport); return m.i < 0 ? null : idx.sockets[m.i]!.pid; };
  assert.equal(pid('10.213.50.2', '10.213.50.1', 53), 3);
  assert.equal(pid('10.213.50.2', '10.213.50.9', 53), 2);
  assert.equal(pid('127.0.0.1', '127.0.0.1', 9), 1);
  assert.equal(idx.find('udp', '10.213.50.2', 53001, '10.213.50.1', 53).i, -1);
});

test('per-host and per-service accounts from the TCP capture; an unowned flow counts for the host, not for an app', () => {
  const flows = tcp.reports.flatMap((r) => r.flows);
  const sockets = [sock({ localIp: '10.213.50.2', localPort: 38648, remoteIp: '10.213.50.1', remotePort: 8080, pid: 22 })];
  const a = new FlowAccounts();
  a.add(flowEnds(flows, new SocketIndex(sockets), own), [{ name: 'web', ports: [{ port: 8080, protocol: 'tcp' }, { port: 7, protocol: 'udp' }] }],
    (pid) => (pid === 22 ? { id: 'app-22', name: 'curl' } : null), 1000, 2000);
  const host = (addr: string) => a.hosts().find((h) => h.address === addr);
  // Payload bytes: 10.213.50.1:8080 sent 5 bytes on each of two connections, port 7 sent nothing.
  assert.deepEqual({ rx: host('10.213.50.1')!.rxBytes, tx: host('10.213.50.1')!.txBytes, rxBps: host('10.213.50.1')!.rxBps }, { rx: 10, tx: 0, rxBps: 5 });
  assert.ok(host('10.213.51.9'), 'the silent address is a host too (SYNs only: 0 payload bytes)');
  assert.deepEqual(a.appHosts().map((x) => [x.appId, x.hosts.map((h) => [h.address, h.rxBytes])]), [['app-22', [['10.213.50.1', 5]]]]);
  // Port set: 8080/tcp as a client of 10.213.50.1; 7 is set for udp only, so the tcp port 7 flows are not in it.
  assert.deepEqual(a.services().map((s) => [s.set, s.port, s.protocol, s.role, s.peer, s.rxBytes, s.txBytes]), [['web', 8080, 'tcp', 'client', '10.213.50.1', 10, 0]]);
  // The poll's rows for the usage history: per (app, host) — '' where no app owns the socket — and per service port.
  assert.equal(a.lastPoll!.ts, 1000);
  // Payload-less flows (the SYNs to the silent address, the refused port 7) add no row.
  assert.deepEqual(a.lastPoll!.rows.map((r) => [r.app, r.host, r.service, r.rx, r.tx]).sort(), [['', '', '8080/tcp', 10, 0], ['', '10.213.50.1', '', 5, 0], ['app-22', '10.213.50.1', '', 5, 0]]);
});

test('names from DNS answers: each answered address maps to the name asked; NXDOMAIN and queries add none', () => {
  const n = new DnsNames();
  n.add(dns.reports.flatMap((r) => r.dns));
  assert.deepEqual(n.of('10.213.50.7'), ['ok.nw.test']);
  assert.deepEqual(n.of('10.213.50.22'), ['many.nw.test']);
  assert.deepEqual(n.of('fd00:213:50::21'), ['many.nw.test']);
  assert.deepEqual(n.of('10.213.50.12'), ['alias.nw.test']);
  assert.deepEqual(n.of('10.213.50.1'), [], 'the server itself was never an answer');
});

test('connection outcomes from the handshakes: 2 ok, 2 refused, 1 timed out; connect times of the successes', () => {
  const c = new ConnectTracker();
  const hs = tcp.reports.flatMap((r) => r.handshakes);
  c.add(hs, (h) => (h.dstPort === 8080 ? { id: 'app', name: 'curl' } : null));
  const s = c.snapshot()!;
  assert.deepEqual({ ...s.total, avgConnectMs: s.total.avgConnectMs?.toFixed(3) }, {
    method: 'handshakes', attempts: 5, successes: 2, refused: 2, timedOut: 1, failures: 3, errorPct: 60,
    avgConnectMs: '0.032', p95ConnectMs: 0.058,
  });
  assert.deepEqual(s.apps.map((a) => [a.appId, a.attempts, a.successes, a.failures]), [['app', 2, 2, 0]]);
});

test('without handshakes: kernel counters since the start, labelled as such (no split, no connect time)', () => {
  const c = new ConnectTracker();
  assert.equal(c.snapshot(), null);
  const k = { activeOpens: 100, passiveOpens: 0, attemptFails: 10, estabResets: 0, retransSegs: 0, outSegs: 0, inErrs: 0, outRsts: 0 };
  c.kernel(k);
  c.kernel({ ...k, activeOpens: 300, attemptFails: 110 });
  assert.deepEqual(c.snapshot()!.total, { method: 'kernel-counters', attempts: 200, successes: 100, refused: null, timedOut: null, failures: 100, errorPct: 50, avgConnectMs: null, p95ConnectMs: null });
});

test('bounded under a flood: 20,000 remote addresses keep 512 hosts, 1,024 service rows; the evicted bytes in otherHosts / otherServices, no byte lost', () => {
  const a = new FlowAccounts();
  const ends = Array.from({ length: 20_000 }, (_, i) => ({
    proto: 'udp' as const, localIp: '10.213.50.2', localPort: 5000, remoteIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, remotePort: 53,
    loop: false, rx: 10, tx: 3, pid: 1, socket: -1, exact: false,
  }));
  a.add(ends, [{ name: 'dns', ports: [{ port: 53, protocol: 'udp' }] }], () => ({ id: 'flood', name: 'flood' }), 1000, 1000);
  const hosts = a.hosts();
  assert.equal(hosts.length, 512);
  const kept = hosts.reduce((s, h) => s + h.rxBytes, 0);
  assert.equal(kept + a.otherHosts().rxBytes, 20_000 * 10);
  assert.equal(a.appHosts()[0]!.hosts.length, 20, 'per app: the 20 most active listed');
  const rows = a.services();
  assert.equal(rows.length, 1024);
  assert.equal(rows.reduce((s, r) => s + r.rxBytes, 0) + a.otherServices().rxBytes, 20_000 * 10, 'service bytes kept or in otherServices');
});
