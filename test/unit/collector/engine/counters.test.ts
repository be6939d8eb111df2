import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterDelta, Ring } from '../../../../electron/collector/engine/counters.ts';
import { InterfaceTracker } from '../../../../electron/collector/engine/interfaces.ts';
import type { InterfaceCounters } from '../../../../shared/index.ts';
import type { InterfaceMeta } from '../../../../electron/collector/sources.ts';

test('counterDelta: growth, 32-bit wrap, reset and absurd jumps', () => {
  assert.equal(counterDelta(1000, 5000, 1000), 4000);
  assert.equal(counterDelta(2 ** 32 - 100, 50, 1000, { bits: 32 }), 150, 'a 32-bit counter wrapped');
  assert.equal(counterDelta(2 ** 32 - 100, 50, 1000), null, 'a 64-bit counter cannot wrap there: it was reset');
  assert.equal(counterDelta(5e12, 10, 1000), null, 'a 64-bit counter went back: reset, no rate');
  assert.equal(counterDelta(0, 1e15, 1000), null, '1 PB in a second is not a rate, it is a glitch');
  assert.equal(counterDelta(10, 20, 0), null);
  assert.equal(counterDelta(Number.NaN, 20, 1000), null);
});

test('Ring keeps the last N, oldest first', () => {
  const r = new Ring<number>(3);
  for (const v of [1, 2, 3, 4, 5]) r.push(v);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
});

const c = (rx: number, tx: number): InterfaceCounters => ({
  rxBytes: rx, txBytes: tx, rxPackets: rx / 100, txPackets: tx / 100, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0, collisions: 0,
});

test('InterfaceTracker: rates, 60-sample history, averages; a counter reset is a gap, never negative', () => {
  const t = new InterfaceTracker();
  const meta = new Map();
  let now = 0;
  t.update(new Map([['eth0', c(0, 0)]]), meta, now);
  for (let i = 1; i <= 70; i++) {
    now += 1000;
    const [eth] = t.update(new Map([['eth0', c(i * 1_000_000, i * 500_000)]]), meta, now);
    assert.equal(eth!.rxBps, 1_000_000);
    assert.equal(eth!.txBps, 500_000);
  }
  now += 1000;
  // The driver was reloaded: counters restart near zero.
  const [reset] = t.update(new Map([['eth0', c(300, 200)]]), meta, now);
  assert.equal(reset!.rxBps, 0);
  assert.equal(reset!.history.rxBps.length, 60);
  assert.equal(reset!.history.rxBps.at(-1), null, 'the reset sample is a gap');
  assert.equal(reset!.history.rxBps.at(-2), 1_000_000);
  now += 1000;
  const [after] = t.update(new Map([['eth0', c(1_000_300, 200)]]), meta, now);
  assert.equal(after!.rxBps, 1_000_000);
  // 71 bytes-moving seconds of 1 MB over 72 s since first seen.
  assert.equal(after!.average.rxBps, (71 * 1_000_000) / 72);
  assert.ok(after!.history.rxBps.every((v) => v === null || v >= 0));
});

test('InterfaceTracker: a vanished interface is forgotten, a new one starts fresh', () => {
  const t = new InterfaceTracker();
  t.update(new Map([['tun0', c(100, 100)]]), new Map(), 0);
  t.update(new Map(), new Map(), 1000);
  const [tun] = t.update(new Map([['tun0', c(5, 5)]]), new Map(), 2000);
  assert.equal(tun!.rxBps, 0);
  assert.deepEqual(tun!.history.rxBps, []);
});

const idx = (ifindex: number) => new Map([['veth0', { ifindex } as InterfaceMeta]]);

test('a veth recreated at 3.0 GB (new ifindex, counters from zero) starts fresh: no 1,286 MB/s phantom upload', () => {
  const t = new InterfaceTracker();
  const gb3 = 3_000_000_000;
  t.update(new Map([['veth0', c(1000, gb3)]]), idx(7), 0);
  t.update(new Map([['veth0', c(2000, gb3 + 1000)]]), idx(7), 1000);
  // Deleted and created again within a tick: same name, new index, counters restarted.
  const [fresh] = t.update(new Map([['veth0', c(100, 200)]]), idx(8), 2000);
  assert.equal(fresh!.txBps, 0);
  assert.deepEqual(fresh!.history.txBps, [], 'a new interface: no history of the old one');
  const [next] = t.update(new Map([['veth0', c(100, 1200)]]), idx(8), 3000);
  assert.equal(next!.txBps, 1000);
  // Even without an index (a source that has none), a 64-bit counter going back is a reset, not a wrap.
  const u = new InterfaceTracker();
  u.update(new Map([['veth0', c(0, gb3)]]), new Map(), 0);
  assert.equal(u.update(new Map([['veth0', c(0, 200)]]), new Map(), 1000)[0]!.txBps, 0);
  // A renamed interface keeps its index and its history.
  const [renamed] = t.update(new Map([['veth1', c(100, 2200)]]), new Map([['veth1', { ifindex: 8 } as InterfaceMeta]]), 4000);
  assert.equal(renamed!.txBps, 1000);
  assert.equal(renamed!.history.txBps.length, 2);
});
