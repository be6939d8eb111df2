import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { parseProcNetDev } from '../../../../electron/collector/linux/proc-net-dev.ts';

test('parses every interface of this machine with 64-bit counters', () => {
  const m = parseProcNetDev(fixture('linux', 'proc-net-dev--netwatch-vm.txt'));
  assert.deepEqual([...m.keys()], ['lo', 'ifb0', 'ifb1', 'eth0']);
  assert.deepEqual(m.get('lo'), {
    rxBytes: 2724693, rxPackets: 40126, rxErrors: 0, rxDrops: 0,
    txBytes: 2724693, txPackets: 40126, txErrors: 0, txDrops: 0, collisions: 0,
  });
  assert.equal(m.get('eth0')!.rxBytes, 190175087);
  assert.equal(m.get('eth0')!.txPackets, 3611);
});

test('parses a namespace holding a bridge, veth pair, tun and tap', () => {
  const m = parseProcNetDev(fixture('linux', 'proc-net-dev-netns-virtual--netwatch-vm.txt'));
  assert.deepEqual([...m.keys()].sort(), ['br0', 'lo', 'tap0', 'tun0', 'vethA', 'vethB']);
});

test('skips malformed rows instead of inventing numbers', () => {
  const m = parseProcNetDev('Inter-|\n face |\n  eth0: 1 2 3\n  wlan0: -5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n  ok0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n');
  assert.deepEqual([...m.keys()], ['ok0']);
  assert.equal(m.get('ok0')!.collisions, 14);
});
