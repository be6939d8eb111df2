import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { classifyLinux, parseIpLinkJson, type SysfsHints } from '../../../../electron/collector/linux/ip-link.ts';

const noHints: SysfsHints = { arphrd: null, devtype: null, wireless: false, hasDevice: false, tunFlags: null, bridge: false };

test('this machine: lo is Loopback, eth0 (virtio) is Ethernet, ifb is Virtual', () => {
  const links = parseIpLinkJson(fixture('linux', 'ip-j-d-link--netwatch-vm.txt'));
  const by = new Map(links.map((l) => [l.name, l]));
  assert.equal(by.get('eth0')!.parentBus, 'virtio');
  assert.equal(by.get('eth0')!.mtu, 1400);
  assert.equal(by.get('eth0')!.mac, '02:fc:00:00:00:01');
  assert.deepEqual(classifyLinux('lo', by.get('lo'), noHints), { type: 'Loopback', virtualKind: null });
  assert.deepEqual(classifyLinux('eth0', by.get('eth0'), { ...noHints, arphrd: 1, hasDevice: true }), { type: 'Ethernet', virtualKind: null });
  assert.deepEqual(classifyLinux('ifb0', by.get('ifb0'), { ...noHints, arphrd: 1 }), { type: 'Virtual', virtualKind: 'ifb' });
});

test('namespace with bridge, veth, tun and tap: each Virtual with its kind', () => {
  const links = new Map(parseIpLinkJson(fixture('linux', 'ip-j-d-link-netns-virtual--netwatch-vm.txt')).map((l) => [l.name, l]));
  const kind = (n: string) => classifyLinux(n, links.get(n), noHints);
  assert.deepEqual(kind('br0'), { type: 'Virtual', virtualKind: 'bridge' });
  assert.deepEqual(kind('vethA'), { type: 'Virtual', virtualKind: 'veth' });
  assert.equal(links.get('vethA')!.master, 'br0');
  assert.deepEqual(kind('tun0'), { type: 'Virtual', virtualKind: 'tun' });
  assert.deepEqual(kind('tap0'), { type: 'Virtual', virtualKind: 'tap' });
});

test('without ip: sysfs hints still classify Wi-Fi, WWAN, bridges, tun and docker', () => {
  assert.equal(classifyLinux('wlp2s0', undefined, { ...noHints, wireless: true, hasDevice: true }).type, 'WiFi');
  assert.equal(classifyLinux('wwan0', undefined, { ...noHints, devtype: 'wwan', hasDevice: true }).type, 'Cellular');
  assert.deepEqual(classifyLinux('docker0', undefined, { ...noHints, bridge: true }), { type: 'Virtual', virtualKind: 'docker' });
  assert.deepEqual(classifyLinux('tun0', undefined, { ...noHints, tunFlags: 0x1001 }), { type: 'Virtual', virtualKind: 'tun' });
  assert.deepEqual(classifyLinux('tap1', undefined, { ...noHints, tunFlags: 0x1002 }), { type: 'Virtual', virtualKind: 'tap' });
  assert.deepEqual(classifyLinux('weird0', undefined, noHints), { type: 'Virtual', virtualKind: null });
  assert.equal(classifyLinux('enp3s0', undefined, { ...noHints, arphrd: 1, hasDevice: true }).type, 'Ethernet');
});

test('output that is not a JSON array is a clear error', () => {
  assert.throws(() => parseIpLinkJson('Error: Unknown device type.'), /not JSON/);
  assert.throws(() => parseIpLinkJson('{"ifname":"x"}'), /JSON array/);
});

// Found by the property test (seed 1229279558): "mtu":1e500 is valid JSON that parses to Infinity.
test('an MTU that is not a positive whole number is unknown, the rest of the link kept', () => {
  const real = fixture('linux', 'ip-j-d-link--netwatch-vm.txt');
  for (const bad of ['1e500', '-1e500', '-1', '0', '1400.5', '"1400"', 'null']) {
    const eth0 = parseIpLinkJson(real.replace('"mtu":1400', `"mtu":${bad}`)).find((l) => l.name === 'eth0')!;
    assert.equal(eth0.mtu, null, bad);
    assert.equal(eth0.parentBus, 'virtio');
  }
});
