// Per-process attribution logic, fed socket samples shaped like the parsers' output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketTracker, groupApps, type Totals } from '../../../../electron/collector/engine/attribution.ts';
import { emptySocket, type SocketSample } from '../../../../electron/collector/sockets.ts';
import type { ProcessLookup } from '../../../../electron/collector/sources.ts';
import { identify } from '../../../../electron/collector/app-identity.ts';
import { defaultQuery, queryTable } from '../../../../shared/index.ts';

const names: Record<number, string> = { 10: 'server', 20: 'client', 30: 'curl', 31: 'chrome', 32: 'chrome' };
// Helper 32 is grouped under chrome (31) by the source, as proc-fd.ts appRoot does on Linux.
const appOf = (p: number) => (p === 32 ? 31 : p);
const lookup: ProcessLookup = {
  name: (p) => names[p] ?? null,
  app: (p) => (names[appOf(p)] ? identify({ exe: `/usr/bin/${names[appOf(p)]}`, argv: [], name: names[appOf(p)]! }) : null),
  command: (p) => names[p] ?? null,
};
const own = new Set(['192.0.2.2']);

function sock(p: Partial<SocketSample>): SocketSample {
  return { ...emptySocket(), localIp: '127.0.0.1', remoteIp: '127.0.0.1', bytesAcked: 0, bytesReceived: 0, cwnd: 10, ...p };
}
const totals = (ext: number, lo: number): Totals => ({ external: { rx: ext, tx: ext }, loopback: { rx: lo, tx: lo } });
const base = { destroyed: [], ownAddresses: own, shortLivedFlows: 'unattributed' as const, processes: lookup };

test('loopback pair: client tx = server rx, per process, with full loopback coverage', () => {
  const t = new SocketTracker();
  const listen = sock({ state: 'LISTEN', localPort: 5000, remoteIp: null, pid: 10, inode: 1, bytesAcked: null, bytesReceived: null });
  const pair = (sent: number) => [
    listen,
    sock({ localPort: 40000, remotePort: 5000, inode: 2, pid: 20, bytesAcked: sent }),
    sock({ localPort: 5000, remotePort: 40000, inode: 3, pid: 10, bytesReceived: sent }),
  ];
  t.poll({ ...base, now: 0, sockets: pair(1000), totals: totals(0, 10_000) });
  const out = t.poll({ ...base, now: 2000, sockets: pair(2_001_000), totals: totals(0, 10_000 + 2_000_000) });
  const client = out.processes.find((p) => p.pid === 20)!;
  const server = out.processes.find((p) => p.pid === 10)!;
  assert.equal(client.txBytes, 2_000_000);
  assert.equal(client.txBps, 1_000_000);
  assert.equal(server.rxBytes, 2_000_000);
  assert.equal(server.connections, 2, 'listener and accepted socket');
  assert.equal(out.attribution.coverage.loopback, 1);
  assert.equal(out.attribution.coverage.external, null, 'nothing moved externally');
  assert.equal(out.table.rows().find((c) => c.inode === 2)!.txBps, 1_000_000);
  assert.equal(out.tcpStates.ESTAB, 2);
  assert.equal(out.tcpStates.LISTEN, 1);
});

test('external bytes no socket explains are unattributed; coverage says how much was explained', () => {
  const t = new SocketTracker();
  const s = (n: number) => [sock({ localIp: '192.0.2.2', remoteIp: '203.0.113.5', localPort: 50000, remotePort: 443, inode: 9, pid: 30, bytesReceived: n })];
  t.poll({ ...base, now: 0, sockets: s(0), totals: totals(0, 0) });
  const out = t.poll({ ...base, now: 1000, sockets: s(600_000), totals: { external: { rx: 1_000_000, tx: 200_000 }, loopback: { rx: 0, tx: 0 } } });
  assert.equal(out.attribution.unattributed.external.rxBytes, 400_000);
  assert.equal(out.attribution.unattributed.external.txBytes, 200_000);
  assert.equal(out.attribution.coverage.external, 0.5);
});

test('a socket opened since the last poll counts all of its bytes; on the first poll only a baseline', () => {
  const t = new SocketTracker();
  const first = t.poll({ ...base, now: 0, sockets: [sock({ localPort: 1, remotePort: 2, inode: 5, pid: 20, bytesAcked: 999 })], totals: totals(0, 0) });
  assert.equal(first.processes.find((p) => p.pid === 20)!.txBytes, 0, 'bytes before the engine started are not ours to count');
  const out = t.poll({ ...base, now: 1000, sockets: [
    sock({ localPort: 1, remotePort: 2, inode: 5, pid: 20, bytesAcked: 999 }),
    sock({ localPort: 3, remotePort: 4, inode: 6, pid: 20, bytesAcked: 5000 }),
  ], totals: totals(0, 0) });
  assert.equal(out.processes.find((p) => p.pid === 20)!.txBytes, 5000);
});

test('the same 4-tuple with counters going back is a new socket, never a negative delta', () => {
  const t = new SocketTracker();
  t.poll({ ...base, now: 0, sockets: [sock({ localPort: 1, remotePort: 2, inode: 5, pid: 20, bytesAcked: 10_000 })], totals: totals(0, 0) });
  const out = t.poll({ ...base, now: 1000, sockets: [sock({ localPort: 1, remotePort: 2, inode: 7, pid: 20, bytesAcked: 300 })], totals: totals(0, 0) });
  const p = out.processes.find((x) => x.pid === 20)!;
  assert.equal(p.txBytes, 300);
  assert.ok(out.table.rows().every((c) => c.txBps >= 0 && c.rxBps >= 0));
});

test('destroyed sockets: tail since last poll, listener owner, earlier owner, or unknown by remote', () => {
  const t = new SocketTracker();
  const listener = sock({ state: 'LISTEN', localPort: 8080, remoteIp: null, pid: 10, inode: 1, bytesAcked: null, bytesReceived: null });
  const longLived = sock({ localPort: 41000, remotePort: 9000, inode: 4, pid: 20, bytesAcked: 1000 });
  t.poll({ ...base, now: 0, sockets: [listener, longLived], totals: totals(0, 0) });
  const closed = (p: Partial<SocketSample>) => sock({ state: 'CLOSE', inode: 0, ...p });
  const out = t.poll({
    ...base, now: 1000, sockets: [listener], totals: totals(0, 0), shortLivedFlows: 'counted',
    destroyed: [
      closed({ localPort: 41000, remotePort: 9000, bytesAcked: 5000 }), // seen before: 4000 more, to pid 20
      closed({ localPort: 8080, remotePort: 50123, bytesReceived: 200_000 }), // short-lived, server side: listener pid 10
      closed({ localIp: '192.0.2.2', remoteIp: '198.51.100.7', localPort: 50999, remotePort: 443, bytesReceived: 777 }),
    ],
  });
  assert.equal(out.processes.find((p) => p.pid === 20)!.txBytes, 4000);
  assert.equal(out.processes.find((p) => p.pid === 10)!.rxBytes, 200_000);
  assert.deepEqual(out.attribution.unknownProcess, [{ remote: '198.51.100.7:443', rxBytes: 777, txBytes: 0, rxBps: 777, txBps: 0 }]);
  assert.equal(out.attribution.shortLivedFlows, 'counted');
});

test('a destroy event for a 4-tuple still listed is deferred to the next poll, not counted twice', () => {
  const t = new SocketTracker();
  const s = sock({ localPort: 1, remotePort: 2, inode: 5, pid: 20, bytesAcked: 100 });
  t.poll({ ...base, now: 0, sockets: [s], totals: totals(0, 0) });
  const out = t.poll({ ...base, now: 1000, sockets: [{ ...s, bytesAcked: 600 }], totals: totals(0, 0), destroyed: [sock({ state: 'CLOSE', localPort: 1, remotePort: 2, bytesAcked: 700 })] });
  assert.equal(out.deferred.length, 1);
  assert.equal(out.processes.find((p) => p.pid === 20)!.txBytes, 500);
  const next = t.poll({ ...base, now: 2000, sockets: [], totals: totals(0, 0), destroyed: out.deferred });
  assert.equal(next.processes.find((p) => p.pid === 20)!.txBytes, 600);
});

test('without per-socket counters the interface bytes are shared by established connections, flagged estimated', () => {
  const t = new SocketTracker();
  const s = [
    sock({ localIp: '192.0.2.2', remoteIp: '203.0.113.1', localPort: 1, remotePort: 443, inode: 1, pid: 30, bytesAcked: null, bytesReceived: null }),
    sock({ localIp: '192.0.2.2', remoteIp: '203.0.113.2', localPort: 2, remotePort: 443, inode: 2, pid: 31, bytesAcked: null, bytesReceived: null }),
    sock({ localIp: '192.0.2.2', remoteIp: '203.0.113.3', localPort: 3, remotePort: 443, inode: 3, pid: 31, bytesAcked: null, bytesReceived: null }),
  ];
  t.poll({ ...base, now: 0, sockets: s, totals: totals(0, 0) });
  const out = t.poll({ ...base, now: 1000, sockets: s, totals: { external: { rx: 3000, tx: 300 }, loopback: { rx: 0, tx: 0 } } });
  assert.equal(out.attribution.method, 'estimated');
  const curl = out.processes.find((p) => p.pid === 30)!;
  assert.equal(curl.rxBytes, 1000);
  assert.equal(curl.estimated, true);
  assert.equal(out.processes.find((p) => p.pid === 31)!.rxBytes, 2000);
});

test('groupApps sums helper processes under their application (by identity id) and keeps the pids', () => {
  const proc = (pid: number, name: string, appId: string, rx: number) => ({ pid, name, app: name, appId, command: name, self: false, rxBytes: rx, txBytes: 1, rxBps: rx / 2, txBps: 1, connections: 1, estimated: false,
    loopback: { rxBytes: rx / 2, txBytes: 0, rxBps: rx / 4, txBps: 0 }, quality: null });
  const apps = groupApps([
    proc(31, 'chrome', '/opt/google/chrome/chrome', 10), proc(32, 'chrome', '/opt/google/chrome/chrome', 20),
    proc(30, 'curl', '/usr/bin/curl', 1),
    // Same display name, other program: two apps.
    proc(40, 'node server.js', '/usr/bin/node /srv/a/server.js', 4), proc(41, 'node server.js', '/usr/bin/node /srv/b/server.js', 4),
  ], new Map([['/opt/google/chrome/chrome', { exe: '/opt/google/chrome/chrome', icon: 'google-chrome' }]]));
  assert.deepEqual(apps[0], { id: '/opt/google/chrome/chrome', app: 'chrome', exe: '/opt/google/chrome/chrome', icon: 'google-chrome', self: false, pids: [31, 32], connections: 2, estimated: false, rxBytes: 30, txBytes: 2, rxBps: 15, txBps: 2,
    loopback: { rxBytes: 15, txBytes: 0, rxBps: 7.5, txBps: 0 }, quality: null });
  assert.equal(apps.filter((a) => a.app === 'node server.js').length, 2);
});

test('the poll table: rows built on asking, owner and name as of the poll though the source reuses its samples', () => {
  const t = new SocketTracker();
  const a = sock({ localPort: 1, remotePort: 2, inode: 5, pid: 20, command: null, bytesAcked: 0 });
  const b = sock({ localPort: 3, remotePort: 4, inode: 6, pid: null, bytesAcked: 0 });
  t.poll({ ...base, now: 0, sockets: [a, b], totals: totals(0, 0) });
  a.bytesAcked = 700;
  const out = t.poll({ ...base, now: 1000, sockets: [a, b], totals: totals(0, 700) });
  // What the Linux client does at its next dump, before the next poll.
  a.pid = null;
  const page = queryTable(out.table, { ...defaultQuery(), sort: 'txBps' }, 1000);
  assert.deepEqual(page.rows.map((r) => [r.inode, r.pid, r.process, r.txBps, r.local, r.remote]),
    [[5, 20, 'client', 700, '127.0.0.1:1', '127.0.0.1:2'], [6, null, null, 0, '127.0.0.1:3', '127.0.0.1:4']]);
  assert.equal(queryTable(out.table, { ...defaultQuery(), text: 'client' }, 1000).matched, 1);
  assert.notEqual(out.table.row(0), out.table.row(0), 'each answer gets its own objects');
  assert.equal(out.table.rows().length, 2);
  assert.equal(out.totalSockets, 2);
});

test('per-process counters (macOS nettop) are measured per process, named when ps cannot', () => {
  const t = new SocketTracker();
  const noSocketCounters = [sock({ localIp: '192.0.2.2', remoteIp: '203.0.113.1', localPort: 1, remotePort: 443, inode: 0, pid: 77, bytesAcked: null, bytesReceived: null })];
  const totalsAt = (rx: number, tx: number) => new Map([[77, { name: 'Safari', rx, tx }], [88, { name: 'Mail', rx: 10, tx: 10 }]]);
  t.poll({ ...base, now: 0, sockets: noSocketCounters, totals: totals(0, 0), processTotals: totalsAt(1_000, 100) });
  const out = t.poll({ ...base, now: 2000, sockets: noSocketCounters, totals: { external: { rx: 5_000, tx: 1_000 }, loopback: { rx: 0, tx: 0 } }, processTotals: totalsAt(5_000, 900) });
  assert.equal(out.attribution.method, 'measured');
  const safari = out.processes.find((p) => p.pid === 77)!;
  assert.deepEqual([safari.name, safari.rxBytes, safari.txBytes, safari.rxBps, safari.estimated], ['Safari', 4_000, 800, 2_000, false]);
  assert.deepEqual(out.processes.filter((p) => p.pid === 88).map((p) => [p.name, p.rxBytes]), [['Mail', 0]], 'named by nettop, idle');
  assert.equal(out.attribution.unattributed.external.rxBytes, 1_000);
});
