// One rule for "total" (issue 12 point 3): the headline and the app list count the same traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countedTraffic, explainedTotal, totalIncludesLoopback } from '../../../shared/index.ts';

const ifs = [{ name: 'lo', type: 'Loopback' as const }, { name: 'eth0', type: 'Ethernet' as const }, { name: 'docker0', type: 'Virtual' as const }];

test('loopback is in the total only when the user lists it', () => {
  assert.equal(totalIncludesLoopback(ifs), false);
  assert.equal(totalIncludesLoopback(ifs, ['eth0', 'lo']), true);
  assert.equal(totalIncludesLoopback([{ name: 'lo', type: 'Loopback' }]), false, 'a machine with only lo counts nothing by default');
});

test('an app counts its external part by default, all of it with loopback included', () => {
  const a = { rxBps: 300, txBps: 100, rxBytes: 3000, txBytes: 1000, loopback: { rxBps: 100, txBps: 100, rxBytes: 1000, txBytes: 1000 } };
  assert.deepEqual(countedTraffic(a, false), { rxBps: 200, txBps: 0, rxBytes: 2000, txBytes: 0 });
  assert.deepEqual(countedTraffic(a, true), { rxBps: 300, txBps: 100, rxBytes: 3000, txBytes: 1000 });
});

test('the headline over the window: apps + unattributed = total, on either side of the rule', () => {
  const z = { rxBytes: 0, txBytes: 0 };
  const att = {
    window: { ms: 1000, external: { rxBps: 400, txBps: 50 }, loopback: { rxBps: 100, txBps: 100 } },
    unattributed: { external: { ...z, rxBps: 100, txBps: 50 }, loopback: { ...z, rxBps: 0, txBps: 0 } },
  };
  assert.deepEqual(explainedTotal(att, false), { total: { rxBps: 400, txBps: 50 }, unattributed: { rxBps: 100, txBps: 50 } });
  assert.deepEqual(explainedTotal(att, true), { total: { rxBps: 500, txBps: 150 }, unattributed: { rxBps: 100, txBps: 50 } });
});
