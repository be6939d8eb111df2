// Connection quality per app (RTT percentiles, retransmit share) and the one-total rule of the lists:
// apps' external figures + unattributed = the window's external interface rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityAcc, nearestRank, verdict } from '../../../../electron/collector/engine/quality.ts';
import { SocketTracker } from '../../../../electron/collector/engine/attribution.ts';
import { emptySocket, type SocketSample } from '../../../../electron/collector/sockets.ts';
import { identify } from '../../../../electron/collector/app-identity.ts';
import { parseSockdiagLine } from '../../../../electron/collector/linux/sockdiag.ts';
import { parseSs } from '../../../../electron/collector/linux/ss.ts';
import type { ProcessLookup } from '../../../../electron/collector/sources.ts';

const sock = (p: Partial<SocketSample>): SocketSample => ({ ...emptySocket(), localIp: '192.0.2.2', remoteIp: '203.0.113.5', bytesAcked: 0, bytesReceived: 0, cwnd: 10, ...p });

test('nearest-rank percentiles are observed values', () => {
  const v = Float64Array.from([5, 1, 4, 2, 3]).sort();
  assert.equal(nearestRank(v, 0.5), 3);
  assert.equal(nearestRank(v, 0.95), 5);
  assert.equal(nearestRank(Float64Array.from([7]), 0.95), 7);
});

test('quality: p50/p95 over established TCP sockets, retransmit share over their lives, a verdict with the reason', () => {
  const q = new QualityAcc();
  for (let i = 1; i <= 20; i++) q.add(sock({ localPort: 40000 + i, remotePort: 443, rttUs: i * 10_000, retrans: i === 20 ? 60 : 0, segsOut: 100 }));
  q.add(sock({ state: 'SYN-SENT', rttUs: 900_000 })); // not established: no RTT sample
  q.add(sock({ protocol: 'udp', state: 'ESTAB', rttUs: 900_000 }));
  const s = q.summary()!;
  assert.equal(s.sockets, 20);
  assert.equal(s.rttP50Ms, 100);
  assert.equal(s.rttP95Ms, 190);
  assert.equal(s.segmentsSent, 2000);
  assert.equal(s.retransmitPct, 3);
  assert.equal(s.poor, '3.0 % of segments retransmitted');
  assert.equal(new QualityAcc().summary(), null);
  assert.equal(verdict(50, 10, 20), null, 'ten percent of twenty segments is no verdict yet');
  assert.equal(verdict(450, 0, 5000), 'slow: p95 round trip 450 ms');
  assert.equal(verdict(450, null, 0), 'slow: p95 round trip 450 ms');
});

test('segs_out from nw-sockdiag (appended field) and from ss -ti; a line without it still parses', () => {
  const line = 'T\t4\t1\t10.0.0.1\t39811\t10.0.0.2\t443\t14792\t0\t20000\t4\t10\t-\t1448\t65536\t65536\t7\t1000\t2000\t1100\tcubic\t350';
  const s = parseSockdiagLine(line)!;
  assert.equal(s.segsOut, 350);
  assert.equal(s.retrans, 7);
  assert.equal(s.congestion, 'cubic');
  const old = parseSockdiagLine(line.replace(/\t350$/, ''))!;
  assert.equal(old.segsOut, null);
  assert.equal(old.congestion, 'cubic');
  const ss = parseSs('State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n'
    + 'ESTAB 0 0 10.0.0.1:39811 10.0.0.2:443 ino:14792 sk:1 cubic rtt:20/4 mss:1448 cwnd:10 bytes_acked:1001 bytes_received:2000 segs_out:350 segs_in:300 retrans:0/7\n');
  assert.equal(ss[0]?.segsOut, 350);
  assert.equal(ss[0]?.retrans, 7);
});

test('apps: loopback part kept apart, quality over the app\'s external sockets only; apps + unattributed = window', () => {
  // Pids 20 and 21 are two processes of one app (a browser and its network helper).
  const lookup: ProcessLookup = {
    name: (p) => `p${p}`, command: (p) => `p${p}`,
    app: (p) => identify({ exe: p === 20 || p === 21 ? '/usr/bin/browser' : `/usr/bin/p${p}`, argv: [], name: 'browser' }),
  };
  const own = new Set(['192.0.2.2']);
  const t = new SocketTracker();
  const socks = (n: number) => [
    sock({ localPort: 40001, remotePort: 443, inode: 1, pid: 20, bytesReceived: n, rttUs: 30_000, retrans: 0, segsOut: 200 }),
    sock({ localPort: 40002, remotePort: 443, inode: 2, pid: 21, bytesReceived: 2 * n, rttUs: 90_000, retrans: 10, segsOut: 200 }),
    sock({ localIp: '127.0.0.1', remoteIp: '127.0.0.1', localPort: 40003, remotePort: 8080, inode: 3, pid: 20, bytesAcked: n, rttUs: 20 }),
  ];
  const tot = (ext: number, lo: number) => ({ external: { rx: ext, tx: 0 }, loopback: { rx: lo, tx: lo } });
  const base = { destroyed: [], ownAddresses: own, shortLivedFlows: 'counted' as const, processes: lookup };
  t.poll({ ...base, now: 0, sockets: socks(0), totals: tot(0, 0) });
  // 1 s: 300 kB received from other hosts (plus 100 kB of headers and others'), 100 kB over loopback.
  const out = t.poll({ ...base, now: 1000, sockets: socks(100_000), totals: tot(400_000, 100_000) });
  const browser = out.apps.find((a) => a.id === '/usr/bin/browser')!;
  assert.deepEqual(browser.pids.sort(), [20, 21]);
  assert.equal(browser.rxBps, 300_000);
  assert.equal(browser.txBps, 100_000);
  assert.deepEqual(browser.loopback, { rxBytes: 0, txBytes: 100_000, rxBps: 0, txBps: 100_000 });
  assert.equal(browser.quality!.sockets, 2, 'the loopback socket is not a sample');
  assert.equal(browser.quality!.rttP50Ms, 30);
  assert.equal(browser.quality!.rttP95Ms, 90);
  assert.equal(browser.quality!.retransmitPct, 2.5);
  assert.match(browser.quality!.poor!, /2\.5 % of segments retransmitted/);
  assert.equal(out.processes.find((p) => p.pid === 20)!.quality!.retransmitPct, 0);
  const w = out.attribution.window;
  assert.equal(w.ms, 1000);
  assert.deepEqual(w.external, { rxBps: 400_000, txBps: 0 });
  const extRx = out.apps.reduce((n, a) => n + a.rxBps - a.loopback.rxBps, 0);
  assert.equal(extRx + out.attribution.unattributed.external.rxBps, w.external.rxBps);
});
