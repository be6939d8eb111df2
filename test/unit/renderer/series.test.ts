// The chart's y-scale (a nice maximum in the user's units, held with hysteresis), its relative time
// ticks, the page's long history, and which interfaces the popover lists or folds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdMax, LongHistory, niceCeil, rateScale, relativeTick, totalHistory } from '../../../renderer/src/lib/series.ts';
import { splitInterfaces } from '../../../renderer/src/lib/interfaces.ts';
import type { Interface, Snapshot } from '../../../shared/index.ts';

test('niceCeil: the smallest nice number at or above the value, in the display units', () => {
  assert.equal(niceCeil(6_090_000), 8_000_000, '6.09 MB/s → 8 MB/s');
  assert.equal(niceCeil(1_000_000), 1_000_000, 'exactly nice stays');
  assert.equal(niceCeil(1_000_001), 1_500_000);
  assert.equal(niceCeil(950_000), 1_000_000, '950 kB/s → 1 MB/s, not "1000 kB/s"');
  // Bits: 6.09 MB/s is 48.7 Mbit/s → 50 Mbit/s, i.e. 6.25 MB/s raw.
  const bits = rateScale({ units: 'bits', prefix: 'si' });
  assert.equal(niceCeil(6_090_000, bits.perUnit, bits.base) * 8, 50_000_000);
  // Binary: 600 KiB/s → 600 KiB/s; 1000 KiB/s snaps to 1 MiB/s.
  const bin = rateScale({ units: 'bytes', prefix: 'binary' });
  assert.equal(niceCeil(600 * 1024, bin.perUnit, bin.base), 600 * 1024);
  assert.equal(niceCeil(999 * 1024, bin.perUnit, bin.base), 1024 * 1024);
  assert.equal(niceCeil(0), 0);
  assert.equal(niceCeil(Number.NaN), 0);
  assert.equal(niceCeil(-5), 0);
});

test('holdMax: grows at once, holds while the peak wobbles, shrinks only well below', () => {
  let max = holdMax(0, 6_000_000, 1000);
  assert.equal(max, 6_000_000);
  // A rate wobbling between 4.5 and 6 MB/s never moves the axis.
  for (const peak of [5_900_000, 4_500_000, 6_000_000, 5_000_000, 2_500_000]) {
    max = holdMax(max, peak, 1000);
    assert.equal(max, 6_000_000, `peak ${peak}`);
  }
  // A spike widens it in the same sample.
  max = holdMax(max, 9_100_000, 1000);
  assert.equal(max, 10_000_000);
  // Once the spike left the window and the peak is under 40 %, it shrinks to fit.
  max = holdMax(max, 3_000_000, 1000);
  assert.equal(max, 3_000_000);
  // Idle: the floor, not noise blown up to full height.
  assert.equal(holdMax(0, 3, 1000), 1000);
});

test('relativeTick: seconds on axes up to two minutes, whole minutes on wider ones', () => {
  assert.deepEqual([-60_000, -45_000, 0].map((v) => relativeTick(v)), ['−60 s', '−45 s', 'now']);
  assert.deepEqual([-300_000, -60_000, 0, -90_000].map((v) => relativeTick(v, 300_000)), ['−5 min', '−1 min', 'now', '−90 s']);
});

const iface = (name: string, over: Partial<Interface> = {}): Interface => ({
  name, type: 'Ethernet', virtualKind: null, mac: null, ipv4: [], ipv6: [], mtu: 1500, speedMbps: null, up: true, operstate: 'up',
  counters: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0, collisions: 0 },
  rxBps: 0, txBps: 0, rxPps: 0, txPps: 0, history: { rxBps: [], txBps: [] }, average: { rxBps: 0, txBps: 0, sinceMs: 0 }, ...over,
});
const snap = (ts: number, interfaces: Interface[]): Snapshot => ({ ts, intervalMs: 1000, interfaces }) as unknown as Snapshot;

test('totalHistory: sample times end at the snapshot, one interval apart; a gap stays null', () => {
  const s = snap(100_000, [iface('eth0', { history: { rxBps: [1, null, 3], txBps: [4, 5, 6] } }), iface('wlan0', { history: { rxBps: [10, 20, 30], txBps: [0, 0, 1] } })]);
  assert.deepEqual(totalHistory(s), { ts: [98_000, 99_000, 100_000], rx: [11, null, 33], tx: [4, 5, 7] });
});

test('LongHistory: seeded from the engine\'s samples with their times and gaps, bounded, windowed by time', () => {
  const h = new LongHistory(5);
  h.add(snap(10_000, [iface('eth0', { rxBps: 3, history: { rxBps: [1, null, 3], txBps: [0, 0, 0] } })]));
  assert.deepEqual(h.window('eth0', 60_000), { ts: [8_000, 9_000, 10_000], rx: [1, null, 3], tx: [0, 0, 0] });
  assert.equal(h.since('eth0'), 8_000);
  for (let k = 1; k <= 4; k++) h.add(snap(10_000 + k * 1000, [iface('eth0', { rxBps: 10 + k })]));
  assert.deepEqual(h.window('eth0', 60_000).ts, [10_000, 11_000, 12_000, 13_000, 14_000], 'bounded to 5');
  assert.deepEqual(h.window('eth0', 2_000).rx, [13, 14], 'the last 2 s');
  h.add(snap(14_000, [iface('eth0', { rxBps: 99 })]));
  assert.deepEqual(h.window('eth0', 1000).rx, [14], 'a replayed or repeated snapshot is not added twice');
  assert.deepEqual(h.window('nope', 1000), { ts: [], rx: [], tx: [] });
});

test('LongHistory.backfill: the history\'s 10-second buckets before the page\'s samples, as rates at each bucket\'s end; no row a gap', () => {
  const h = new LongHistory();
  h.add(snap(100_000, [iface('eth0', { rxBps: 7, history: { rxBps: [5, 7], txBps: [0, 0] } })])); // samples at 99 s and 100 s
  const n = h.backfill('eth0', { kind: 'series', resolution: '10s', names: {}, buckets: [
    { ts: 60_000, values: [{ key: 'eth0', rxBytes: 10_000, txBytes: 500 }, { key: 'wlan0', rxBytes: 1, txBytes: 1 }] },
    { ts: 70_000, values: [] },
    { ts: 80_000, values: [{ key: 'eth0', rxBytes: 0, txBytes: 0 }] },
    { ts: 90_000, values: [{ key: 'eth0', rxBytes: 50, txBytes: 0 }] }, // ends at 100 s: the page has that already
  ] });
  assert.equal(n, 3);
  assert.deepEqual(h.window('eth0', 900_000), { ts: [70_000, 80_000, 90_000, 99_000, 100_000], rx: [1000, null, 0, 5, 7], tx: [50, null, 0, 0, 0] });
  assert.deepEqual(h.filled('eth0'), { until: 90_000, rxBytes: 10_000, txBytes: 500 });
  assert.equal(h.backfill('wlan0', { kind: 'series', resolution: '10s', names: {}, buckets: [] }), 0, 'an interface the page has not seen');
});

test('splitInterfaces: up physical links and busy virtual ones are listed; down, loopback and idle virtual ones fold', () => {
  const ifs = [
    iface('lo', { type: 'Loopback', rxBps: 5000, txBps: 5000 }),
    iface('eth0'),
    iface('wlan0', { type: 'WiFi' }),
    iface('docker0', { type: 'Virtual', virtualKind: 'docker', up: false, operstate: 'down' }),
    iface('tun0', { type: 'Virtual', virtualKind: 'tun', history: { rxBps: [0, 120, 0], txBps: [0, 0, 0] } }),
    iface('virbr0', { type: 'Virtual', virtualKind: 'bridge' }),
    iface('enp3s0', { up: false, operstate: 'down' }),
  ];
  const { shown, folded } = splitInterfaces(ifs);
  assert.deepEqual(shown.map((i) => i.name), ['eth0', 'wlan0', 'tun0']);
  assert.deepEqual(folded.map((i) => i.name), ['lo', 'virbr0', 'docker0', 'enp3s0'], 'up ones first, then down');
  // What the user put in the total is always listed.
  assert.deepEqual(splitInterfaces(ifs, ['lo', 'eth0']).shown.map((i) => i.name), ['lo', 'eth0', 'wlan0', 'tun0']);
});
