// Network-change detector on real readings: /proc/net/arp before and after the gateway's MAC changed
// (a namespace whose gateway's veth got a new address), resolv.conf files of real systems. A changed
// MAC for the same gateway alerts; DNS servers changing on the same network alert; a new network
// (another gateway) is learned silently; the first readings are learned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcNetArp } from '../../../../electron/collector/linux/proc-net-arp.ts';
import { parseResolvConf } from '../../../../electron/collector/linux/resolv.ts';
import { NetworkChangeDetector } from '../../../../electron/collector/engine/network-change.ts';
import { explain, NETWORK_CHANGE_DNS_KEY } from '../../../../shared/index.ts';
import { fixture } from '../../../helpers.ts';

const before = parseProcNetArp(fixture('linux', 'proc-net-arp-netns-incomplete--netwatch-vm.txt'));
const after = parseProcNetArp(fixture('linux', 'proc-net-arp-netns-gateway-mac-changed--netwatch-vm.txt'));
const GW = '10.213.62.1';

test('/proc/net/arp: complete entries only, MACs lower-case', () => {
  assert.deepEqual([...before], [[GW, { mac: '46:6e:8b:61:d8:b1', device: 'nwfxa' }]], 'the incomplete 10.213.62.9 (00:00:…, flags 0x0) is left out');
  assert.deepEqual(after.get(GW), { mac: '02:13:62:00:00:01', device: 'nwfxa' });
  assert.deepEqual([...parseProcNetArp(fixture('linux', 'proc-net-arp--netwatch-vm.txt'))], [['192.0.2.1', { mac: '02:fc:00:00:00:05', device: 'eth0' }]]);
  assert.equal(parseProcNetArp('').size, 0);
});

test('the gateway answered by another MAC: one alert with both addresses; the first reading is learned', () => {
  const d = new NetworkChangeDetector();
  const dns = parseResolvConf(fixture('linux', 'etc-resolv.conf--netwatch-vm.txt'));
  assert.deepEqual(d.check({ dnsServers: dns, gateway: { ip: GW, mac: before.get(GW)!.mac } }, 0), []);
  assert.deepEqual(d.check({ dnsServers: dns, gateway: { ip: GW, mac: null } }, 1), [], 'an incomplete entry while the kernel asks again');
  const [t, ...rest] = d.check({ dnsServers: dns, gateway: { ip: GW, mac: after.get(GW)!.mac } }, 2);
  assert.equal(rest.length, 0);
  assert.equal(t!.key, `network-change:gateway:${GW}`);
  assert.deepEqual(t!.evidence, { destination: GW, before: '46:6e:8b:61:d8:b1', after: '02:13:62:00:00:01' });
  assert.match(explain({ ...t!, id: 'x', firstTs: 0, lastTs: 0, active: true }).what, /gateway 10\.213\.62\.1 now answers from a different device: its hardware \(MAC\) address changed from 46:6e:8b:61:d8:b1 to 02:13:62:00:00:01/);
  assert.deepEqual(d.check({ dnsServers: dns, gateway: { ip: GW, mac: after.get(GW)!.mac } }, 3), [], 'said once');
});

test('DNS servers changed on the same network alert; moving to another network does not', () => {
  const d = new NetworkChangeDetector();
  const home = { ip: GW, mac: before.get(GW)!.mac };
  const vm = parseResolvConf(fixture('linux', 'etc-resolv.conf--netwatch-vm.txt'));
  const resolved = parseResolvConf(fixture('linux', 'etc-resolv.conf-resolvconf-with-127.0.0.53--systemd-issue5745.txt'));
  assert.notDeepEqual(vm, resolved);
  assert.deepEqual(d.check({ dnsServers: vm, gateway: home }, 0), []);
  assert.deepEqual(d.check({ dnsServers: [...vm].reverse(), gateway: home }, 1), [], 'the same servers in another order');
  assert.deepEqual(d.check({ dnsServers: null, gateway: home }, 2), [], 'unreadable: no verdict');
  const [t] = d.check({ dnsServers: resolved, gateway: home }, 3);
  assert.equal(t?.key, NETWORK_CHANGE_DNS_KEY);
  assert.deepEqual(t!.evidence, { before: vm.join(', '), after: resolved.join(', '), destination: GW });
  // Another network (its gateway another device): its servers are learned; back home with the home servers: quiet.
  const cafe = { ip: '192.0.2.1', mac: '02:fc:00:00:00:05' };
  assert.deepEqual(d.check({ dnsServers: vm, gateway: cafe }, 4), []);
  assert.deepEqual(d.check({ dnsServers: resolved, gateway: home }, 5), []);
  // A VPN: the default route through a tunnel (no MAC), its own DNS: learned.
  assert.deepEqual(d.check({ dnsServers: ['10.8.0.1'], gateway: { ip: '10.8.0.1', mac: null } }, 6), []);
});
