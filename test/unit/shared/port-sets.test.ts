// Settings' "Ports accounted apart" reach the engine as one port set (both protocols per port), and a
// long list never makes the engine refuse the whole config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, defaultSettings, engineConfigOf, mergeConfig } from '../../../shared/index.ts';

test('accountPorts [9981, 9984] → one set of 9981/tcp, 9981/udp, 9984/tcp, 9984/udp; none → no set', () => {
  const c = mergeConfig(defaultConfig(), engineConfigOf({ ...defaultSettings(), accountPorts: [9981, 9984] }));
  assert.deepEqual(c.portSets, [{ name: 'Accounted ports', ports: [
    { port: 9981, protocol: 'tcp' }, { port: 9981, protocol: 'udp' }, { port: 9984, protocol: 'tcp' }, { port: 9984, protocol: 'udp' },
  ] }]);
  assert.deepEqual(mergeConfig(defaultConfig(), engineConfigOf(defaultSettings())).portSets, []);
});

test('300 ports (with repeats) are accepted: the first 128 distinct ones are accounted, the config is not refused', () => {
  const ports = [...Array.from({ length: 300 }, (_, i) => 1000 + i), 1000, 1001];
  const c = mergeConfig(defaultConfig(), engineConfigOf({ ...defaultSettings(), accountPorts: ports }));
  assert.equal(c.portSets[0]!.ports.length, 256);
  assert.equal(c.portSets[0]!.ports.at(-1)!.port, 1127);
  assert.throws(() => mergeConfig(defaultConfig(), { portSets: [{ name: 'x', ports: Array.from({ length: 257 }, () => ({ port: 1, protocol: 'tcp' })) }] }));
});
