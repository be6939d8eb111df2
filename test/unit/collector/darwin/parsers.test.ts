// macOS parsers over real captures (test/fixtures/darwin, sources in ../shared/fixtures/SOURCES.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { countersOf, parseNetstatLinks, resolveTruncatedNames } from '../../../../electron/collector/darwin/netstat-ib.ts';
import { parseRouteGet } from '../../../../electron/collector/darwin/route-get.ts';
import { parseScutilDns } from '../../../../electron/collector/darwin/scutil-dns.ts';
import { memoryFromVmStat, parseSwapUsage, parseVmStat } from '../../../../electron/collector/darwin/vm-stat.ts';
import { parsePing } from '../../../../electron/collector/ping.ts';
import { parseDarwinMount } from '../../../../electron/collector/darwin/mount.ts';
import { parseNetstatRoutes, primaryDefault } from '../../../../electron/collector/darwin/netstat-rn.ts';

test('netstat -ibdnW: Link rows only, 64-bit byte counters, Drop column, down interfaces, no MAC on lo0', () => {
  const links = parseNetstatLinks(fixture('darwin', 'netstat-ibdnW--gopsutil-not-truncated.txt'));
  const by = new Map(links.map((l) => [l.name, l]));
  assert.deepEqual(countersOf(by.get('en0')!), {
    rxBytes: 7295722068, rxPackets: 5708989, rxErrors: 0, rxDrops: 0,
    txBytes: 379533492, txPackets: 3494252, txErrors: 0, txDrops: 230, collisions: 0,
  });
  assert.equal(by.get('en0')!.mac, 'a8:66:7f:dd:ee:ff');
  assert.equal(by.get('en0')!.index, 4);
  assert.equal(by.get('lo0')!.mac, null);
  assert.equal(by.get('lo0')!.mtu, 16384);
  assert.equal(countersOf(by.get('lo0')!)!.rxBytes, 12824763793, 'beyond 32 bits');
  assert.equal(by.get('gif0')!.up, false, 'gif0* is down');
  assert.equal(links.filter((l) => l.name === 'lo0').length, 1, 'address rows with - counters are not links');
});

test('netstat -ib on Apple Silicon (10-character Name column) and -ibdn without lo0', () => {
  const apple = parseNetstatLinks(fixture('darwin', 'netstat-ib-apple-silicon-head--vorssaint-utils-issue398.txt'));
  assert.deepEqual(apple.map((l) => l.name), ['lo0', 'gif0', 'stf0', 'anpi2', 'anpi1', 'anpi0', 'en3']);
  assert.equal(apple.find((l) => l.name === 'anpi0')!.mac, '46:fb:30:6f:90:bd');
  assert.equal(countersOf(apple[0]!)!.txBytes, 3540480);
  const pr = parseNetstatLinks(fixture('darwin', 'netstat-ibdn--gopsutil-pr73.txt'));
  assert.equal(countersOf(pr.find((l) => l.name === 'en0')!)!.rxErrors, 2);
  assert.equal(countersOf(pr.find((l) => l.name === 'en1')!)!.txDrops, 3);
  const dd = parseNetstatLinks(fixture('darwin', 'netstat-ib--datadog-issue71.txt'));
  assert.equal(countersOf(dd.find((l) => l.name === 'lo0')!)!.rxBytes, 368415571);
});

test('narrow netstat -i: names cut at 5 characters are restored from ifconfig order; no bytes, no counters', () => {
  const links = parseNetstatLinks(fixture('darwin', 'netstat-i--jc-osx-10.14.6.txt'));
  assert.deepEqual(links.filter((l) => l.name === 'vmnet').map((l) => l.index), [19, 20]);
  assert.equal(countersOf(links[0]!), null, 'plain -i has no byte columns');
  // Interface names in index order, as `ifconfig -l` prints them (here from the same machine's ifconfig).
  const order = [...fixture('darwin', 'ifconfig--jc-osx-10.14.6-b.txt').matchAll(/^([A-Za-z0-9]+): flags/gm)].map((m) => m[1]!);
  const fixed = resolveTruncatedNames(links, order);
  assert.equal(fixed.find((l) => l.index === 17)!.name, 'bridge0');
  assert.equal(fixed.find((l) => l.index === 19)!.name, 'vmnet1');
  assert.equal(fixed.find((l) => l.index === 20)!.name, 'vmnet8');
  assert.equal(fixed.find((l) => l.index === 4)!.name, 'VHC128', 'VHC12 is VHC128 cut short');
  assert.equal(fixed.find((l) => l.index === 7)!.name, 'XHC20', 'a whole 5-character name stays');
  assert.equal(fixed.find((l) => l.index === 22)!.name, 'utun2', 'unknown to this ifconfig (taken at another time): left as printed');
  assert.equal(new Set(fixed.map((l) => l.name)).size, fixed.length, 'every row its own interface');
});

test('netstat rows printed alike stay distinct interfaces when ifconfig -l fails; a row printed whole keeps its name', () => {
  const links = parseNetstatLinks(fixture('darwin', 'netstat-i--jc-osx-10.14.6.txt'));
  // ifconfig -l failed: the two vmnet rows must not become one interface.
  const alone = resolveTruncatedNames(links, []);
  assert.deepEqual(alone.filter((l) => l.name.startsWith('vmnet')).map((l) => l.name), ['vmnet#19', 'vmnet#20']);
  assert.equal(alone.find((l) => l.index === 21)!.name, 'utun1');
  // With that machine's ifconfig names: utun1 (Link#21) is printed whole (a cut utun1N would print the
  // same; no capture holds one) and keeps its name; no row is lost or repeated.
  const order = [...fixture('darwin', 'ifconfig--jc-osx-10.14.6-b.txt').matchAll(/^([A-Za-z0-9]+): flags/gm)].map((m) => m[1]!);
  const fixed = resolveTruncatedNames(links, order);
  assert.equal(fixed.find((l) => l.index === 21)!.name, 'utun1');
  assert.deepEqual(fixed.map((l) => l.index), [...links.map((l) => l.index)].sort((a, b) => a - b), 'no row lost or repeated');
});

test('route -n get default: gateway and interface; a VPN default route has no gateway line', () => {
  assert.deepEqual(parseRouteGet(fixture('darwin', 'route-get-host--whichway.txt')), { gateway: '192.168.6.1', interface: 'en7' });
  assert.deepEqual(parseRouteGet(fixture('darwin', 'route-get-default-via-vpn-ipsec0--killswitch-issue19.txt')), { gateway: null, interface: 'ipsec0' });
  assert.equal(parseRouteGet('route: writing to routing socket: not in table'), undefined);
});

test('scutil --dns: resolver #1 of the default section; supplemental and scoped kept apart', () => {
  const a = parseScutilDns(fixture('darwin', 'scutil-dns--automattic-team51-issue161.txt'));
  assert.deepEqual(a.primary, { nameservers: ['75.75.75.75', '75.75.76.76'], domain: null, interface: 'en0' });
  assert.ok(a.supplemental.some((r) => r.domain === 'local'));
  const v6 = parseScutilDns(fixture('darwin', 'scutil-dns-excerpt-ipv6-linklocal-ns--dnspython-issue481.txt'));
  assert.deepEqual(v6.primary, { nameservers: ['fe80::8e3b:adff:fead:7bf6%en0', '192.168.1.1'], domain: null, interface: 'en0' });
  // OpenVPN through Tunnelblick: the default resolver has no server; the VPN's are scoped to utun0.
  const vpn = parseScutilDns(fixture('darwin', 'scutil-dns--tunnelblick-pr452.txt'));
  assert.deepEqual(vpn.primary, { nameservers: [], domain: null, interface: null });
  assert.deepEqual(vpn.scoped[0], { nameservers: ['8.8.8.8', '8.8.4.4'], domain: null, interface: 'utun0' });
});

test('vm_stat: page size from the header (4096 Intel, 16384 Apple Silicon); available = free + inactive + speculative', () => {
  const intel = parseVmStat(fixture('darwin', 'vm_stat--akka-cluster-lb-issue2.txt'))!;
  assert.equal(intel.pageSize, 4096);
  assert.equal(intel.pages.get('Pages free'), 264375);
  assert.equal(intel.pages.get('Pages occupied by compressor'), 372004);
  const m = memoryFromVmStat(intel, 16 * 1024 ** 3);
  assert.equal(m.availableBytes, (264375 + 651659 + 23565) * 4096);
  assert.equal(m.usedBytes, 16 * 1024 ** 3 - m.availableBytes);
  assert.equal(parseVmStat(fixture('darwin', 'vm_stat-header-apple-silicon--go-osstat-pr29.txt'))!.pageSize, 16384);
  assert.equal(parseVmStat('vm_stat: not found'), undefined);
});

test('sysctl vm.swapusage in bytes', () => {
  assert.deepEqual(parseSwapUsage(fixture('darwin', 'sysctl-vm.swapusage--jc-osx-10.14.6.txt')), { totalBytes: 3072 * 1024 ** 2, usedBytes: Math.round(2513.5 * 1024 ** 2) });
});

test('macOS ping output: round-trip line, Request timeout, 100 % loss', () => {
  assert.deepEqual(parsePing(fixture('darwin', 'ping-c3-hostname--jc-osx-10.14.6.txt')), { rttMs: 34.67, transmitted: 3, received: 3 });
  assert.deepEqual(parsePing(fixture('darwin', 'ping-unreachable-100pct-loss--jc-osx-10.14.6.txt')), { rttMs: null, transmitted: 8, received: 0 });
});

import { parseNettop, splitNamePid } from '../../../../electron/collector/darwin/nettop.ts';
import { parseLsofFields, parseLsofRows, unescapeLsof } from '../../../../electron/collector/darwin/lsof.ts';
import { parseNetstatAn } from '../../../../electron/collector/darwin/netstat-an.ts';

test('nettop -P -L 1 -J bytes_in,bytes_out (CSV): cumulative bytes per name.pid', () => {
  const { processes, flows } = parseNettop(fixture('darwin', 'nettop-L1-P-J--nettool-issue7.txt'));
  assert.deepEqual(processes.find((p) => p.pid === 533), { name: 'apsd', pid: 533, bytesIn: 11417, bytesOut: 23504 });
  assert.equal(processes.length, 5);
  assert.deepEqual(flows, []);
});

test('nettop columnar -x: names cut at 15 characters keep their pid; empty interface column', () => {
  const { processes } = parseNettop(fixture('darwin', 'nettop-P-x-J-columnar--whichway.txt'));
  assert.deepEqual(processes.find((p) => p.pid === 793), { name: 'Microsoft Outlo', pid: 793, bytesIn: 808991, bytesOut: 695717 });
  assert.deepEqual(processes.find((p) => p.pid === 1069), { name: 'Signal Helper (', pid: 1069, bytesIn: 231681, bytesOut: 95930 });
  assert.equal(processes.find((p) => p.pid === 1297)!.name, 'com.apple.WebKi');
  assert.equal(processes.find((p) => p.pid === 400)!.bytesOut, 1948904);
});

test('nettop CSV with flows: flows under their process, interface, RTT in ms', () => {
  const { processes, flows } = parseNettop(fixture('darwin', 'nettop-L1-csv-process-and-flows--netscope.txt'));
  assert.ok(processes.some((p) => p.name === 'mDNSResponder' && p.pid === 272));
  const apns = flows.find((f) => f.remote === '17.57.145.55:5223')!;
  assert.deepEqual(apns, { proto: 'tcp4', local: '192.168.3.37:56241', remote: '17.57.145.55:5223', interface: 'en0', bytesIn: 27201, bytesOut: 31090, rttMs: 108.53, pid: apns.pid });
  assert.equal(flows.length, 6);
  // UDP is counted per process too: udp4/udp6 flows with their bytes under the process that owns them.
  assert.deepEqual(flows.filter((f) => f.proto.startsWith('udp') && f.pid === 284).map((f) => [f.proto, f.local, f.bytesIn, f.bytesOut]),
    [['udp4', '192.168.3.37:62457', 32286682, 19508471]]);
  assert.deepEqual(splitNamePid('Microsoft Edge .772'), { name: 'Microsoft Edge', pid: 772 });
});

test('lsof -F field output: process set, then one set per socket', () => {
  const all = parseLsofFields(fixture('darwin', 'lsof-i443-F-fieldoutput--siky-blog.txt'));
  assert.equal(all.length, 1);
  const s = all[0]!;
  assert.equal(s.pid, 1190);
  assert.equal(s.command, 'Google Chrome Helper');
  assert.equal(s.protocol, 'tcp');
  assert.equal(s.state, 'ESTABLISHED');
  // Captured without -n -P (the reader always passes both): a host name is kept as printed, and a
  // service name (`https`) is not a port, so that end stays unknown rather than guessed.
  assert.deepEqual(s.local, { ip: 'siky-mac-mini', port: 61472 });
  assert.equal(s.remote, null);
  assert.equal(unescapeLsof('Google\\x20Chrome\\x20He'), 'Google Chrome He');
});

test('lsof -n -P -i rows: command, pid, endpoints, state (or none)', () => {
  const rows = parseLsofRows(fixture('darwin', 'lsof-n-P-i-rows--bandwhich-test.txt'));
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0], { pid: 590, command: 'com.apple', protocol: 'tcp', local: { ip: '192.168.1.37', port: 60298 }, remote: { ip: '31.13.83.36', port: 443 }, state: 'ESTABLISHED' });
  assert.equal(rows[3]!.state, null);
});

test('netstat -anv -p tcp: per-socket pid; netstat -An: Socket and Flowhash columns in front', () => {
  const v = parseNetstatAn(fixture('darwin', 'netstat-v-n-p-tcp-with-pid--node-netstat-issue26.txt'));
  assert.deepEqual(v[0], { protocol: 'tcp', local: { ip: '192.168.1.191', port: 52044 }, remote: { ip: '31.13.66.35', port: 443 }, state: 'ESTABLISHED', pid: 9811 });
  const a = parseNetstatAn(fixture('darwin', 'netstat-An--jc-osx-10.14.6.txt'));
  assert.deepEqual(a[0], { protocol: 'tcp', local: { ip: '192.168.1.221', port: 5486 }, remote: { ip: '140.82.113.26', port: 443 }, state: 'ESTABLISHED', pid: null });
  assert.ok(a.some((s) => s.protocol === 'udp'));
});

import { parseAirportI, parseCoreWlan, parseSystemProfilerAirport, parseWdutil } from '../../../../electron/collector/darwin/wifi.ts';

test('airport -I: RSSI, noise, tx rate, channel → frequency; unpadded BSSID padded; empty BSSID', () => {
  assert.deepEqual(parseAirportI('en0', fixture('darwin', 'airport-I--jc-osx-10.14.6.txt')), {
    interface: 'en0', ssid: 'SnazzleDazzle', ssidHidden: false, bssid: '3c:37:86:15:ad:f9', signalDbm: -66, noiseDbm: -90,
    channel: 48, frequencyMhz: 5240, txBitrateMbps: 195, associated: true,
  });
  assert.equal(parseAirportI('en0', fixture('darwin', 'airport-getinfo--node-wifi.txt')).bssid, '31:23:03:1a:9f:1d');
  const t = parseAirportI('en0', fixture('darwin', 'airport-I--telegraf-testdata.txt'));
  assert.equal(t.bssid, null, 'BSSID line empty without Location permission');
  assert.equal(t.ssid, 'Foo Bar');
  assert.equal(t.channel, 157);
  assert.equal(t.frequencyMhz, 5785);
});

test('wdutil info: <redacted> SSID is reported as withheld; 5g36/20 channel; Wi-Fi off or unassociated', () => {
  const w = parseWdutil(fixture('darwin', 'wdutil-info-wifi-excerpt--macwifi-cli-issue3.txt'));
  assert.deepEqual(w, {
    interface: 'en0', ssid: null, ssidHidden: true, bssid: null, signalDbm: -61, noiseDbm: -101,
    channel: 36, frequencyMhz: 5180, txBitrateMbps: 86, associated: true,
  });
  const off = parseWdutil(fixture('darwin', 'wdutil-info-wifi-section-not-associated--wifi-heatmapper.txt'));
  assert.equal(off.associated, false);
  assert.equal(off.signalDbm, null, '"0 dBm" of an idle radio is not a reading');
  const full = parseWdutil(fixture('darwin', 'wdutil-info-full--wifi-heatmapper.txt'));
  assert.equal(full.interface, 'en0');
});

test('system_profiler SPAirPortDataType -json: 15.5 (channel as text, no BSSID) and 10.15.7 (numeric channel)', () => {
  const [now] = parseSystemProfilerAirport(fixture('darwin', 'system_profiler-SPAirPortDataType-json-15.5--wifi-heatmapper.txt'));
  assert.deepEqual(now, {
    interface: 'en0', ssid: 'SSID-2', ssidHidden: false, bssid: null, signalDbm: -40, noiseDbm: -97,
    channel: 6, frequencyMhz: 2437, txBitrateMbps: 144, associated: true,
  });
  const old = parseSystemProfilerAirport(fixture('darwin', 'system_profiler-SPAirPortDataType-json-10.15.7--wifi-heatmapper.txt'));
  const en1 = old.find((w) => w.interface === 'en1')!;
  assert.equal(en1.bssid, 'fe:dc:ba:09:87:65');
  assert.equal(en1.channel, 6);
  assert.equal(en1.signalDbm, -55);
  assert.deepEqual(parseSystemProfilerAirport('not json'), []);
});

test('system_profiler: absurd numbers in a changed capture read as unknown, never Infinity or a cut-off number', () => {
  const real = fixture('darwin', 'system_profiler-SPAirPortDataType-json-15.5--wifi-heatmapper.txt');
  // The current network comes last in the capture, after the other networks seen.
  const at = (from: string) => real.lastIndexOf(from);
  const read = (from: string, to: string) => parseSystemProfilerAirport(real.slice(0, at(from)) + to + real.slice(at(from) + from.length))[0]!;
  assert.equal(read('"spairport_network_rate" : 144', '"spairport_network_rate" : 1e999').txBitrateMbps, null);
  assert.equal(read('"spairport_network_rate" : 144', '"spairport_network_rate" : -144').txBitrateMbps, null);
  const long = read('"-40 dBm / -97 dBm"', '"-4000 dBm / -97 dBm"');
  assert.deepEqual([long.signalDbm, long.noiseDbm], [null, null]);
  const ch = read('"6 (2GHz, 20MHz)",\n            "spairport_network_country_code',
    '"6666 (2GHz, 20MHz)",\n            "spairport_network_country_code');
  assert.deepEqual([ch.channel, ch.frequencyMhz, ch.txBitrateMbps], [null, null, 144]);
});

// COREWLAN_SCRIPT prints JSON of our own design, so there is no OS capture to replay: these inputs are
// that format, with the readings of the Mac in the 15.5 system_profiler capture above (no Mac here to
// run the script; the JXA calls follow Apple's CWInterface/CWChannel API).
test('CoreWLAN (JXA) readings: associated, SSID withheld without Location permission, off, not joined', () => {
  const reading = { interface: 'en0', power: true, ssid: 'SSID-2', bssid: null, rssi: -40, noise: -97, txRate: 144, channel: 6, band: 1 };
  assert.deepEqual(parseCoreWlan(JSON.stringify([reading])), [{
    interface: 'en0', ssid: 'SSID-2', ssidHidden: false, bssid: null, signalDbm: -40, noiseDbm: -97,
    channel: 6, frequencyMhz: 2437, txBitrateMbps: 144, associated: true,
  }]);
  const [withheld] = parseCoreWlan(JSON.stringify([{ ...reading, ssid: null, bssid: null }]))!;
  assert.deepEqual([withheld!.associated, withheld!.ssid, withheld!.ssidHidden, withheld!.signalDbm], [true, null, true, -40]);
  const [six] = parseCoreWlan(JSON.stringify([{ ...reading, channel: 37, band: 3, bssid: '3c:37:86:15:ad:f9' }]))!;
  assert.deepEqual([six!.frequencyMhz, six!.bssid], [6135, '3c:37:86:15:ad:f9']);
  const [off] = parseCoreWlan(JSON.stringify([{ ...reading, power: false }]))!;
  assert.equal(off!.associated, false);
  const [idle] = parseCoreWlan(JSON.stringify([{ ...reading, rssi: 0, ssid: null, channel: null, band: null }]))!;
  assert.deepEqual([idle!.associated, idle!.signalDbm], [false, null]);
  // Not the script's JSON: the source falls back to system_profiler.
  assert.equal(parseCoreWlan('execution error: Error: ReferenceError (-2700)'), undefined);
  assert.equal(parseCoreWlan('{"interface":"en0"}'), undefined);
});

import { classifyDarwin, parseHardwarePorts } from '../../../../electron/collector/darwin/hardware-ports.ts';

test('networksetup -listallhardwareports and the name rules give each interface its type', () => {
  const ports = parseHardwarePorts(fixture('darwin', 'networksetup-listallhardwareports--alfred-network-workflow-issue20.txt'));
  assert.equal(ports.get('en0'), 'Wi-Fi');
  assert.equal(ports.get('en8'), 'AX88179A');
  assert.equal(ports.get('bridge0'), 'Thunderbolt Bridge');
  const type = (n: string) => classifyDarwin(n, ports.get(n));
  assert.deepEqual(type('en0'), { type: 'WiFi', virtualKind: null });
  assert.deepEqual(type('en8'), { type: 'Ethernet', virtualKind: null }, 'USB adapter named by its chipset');
  assert.deepEqual(type('en1'), { type: 'Ethernet', virtualKind: null }, 'Thunderbolt port');
  assert.deepEqual(type('bridge0'), { type: 'Virtual', virtualKind: 'bridge' });
  assert.deepEqual(type('lo0'), { type: 'Loopback', virtualKind: null });
  for (const [n, k] of [['utun8', 'tun'], ['ipsec0', 'ipsec'], ['gif0', 'gif'], ['stf0', 'stf'], ['awdl0', 'awdl'], ['llw0', 'llw'], ['anpi2', 'anpi']]) {
    assert.deepEqual(type(n!), { type: 'Virtual', virtualKind: k }, n);
  }
  assert.deepEqual(type('XHC20'), { type: 'Other', virtualKind: null });
});

test('mount: local /dev/ volumes the user sees; VM, Recovery, devfs, autofs and network shares left out', () => {
  const local = [{ device: '/dev/disk1s1', mount: '/', fsType: 'apfs' }];
  assert.deepEqual(parseDarwinMount(fixture('darwin', 'mount--jc-osx-10.14.6.txt')), local);
  // The second capture adds an AFP share "mounted by kelly": not local, not a disk.
  assert.deepEqual(parseDarwinMount(fixture('darwin', 'mount--jc-osx-10.14.6-b.txt')), local);
});

test('netstat -rn: default routes read by each table\'s own header; the primary is the first unscoped IPv4 one', () => {
  const brief = (f: string) => parseNetstatRoutes(fixture('darwin', f)).map((r) => [r.family, r.gateway, r.interface, r.scoped]);
  // jc: with Refs/Use (and Mtu with -l); a hostname as gateway when -n is missing.
  assert.deepEqual(brief('netstat-r--jc-osx-10.14.6.txt')[0], ['inet', 'dsldevice.attlocal', 'en0', false]);
  assert.deepEqual(brief('netstat-rnl--jc-osx-10.14.6.txt')[0], ['inet', '192.168.1.254', 'en0', false]);
  // swgp-go: the RT_IFA column; IPv4 and IPv6 defaults with a %scope gateway.
  assert.deepEqual(brief('netstat-rn-defaults-RT_IFA--swgp-go-pr49.txt'), [['inet', '192.168.51.1', 'en0', false], ['inet6', 'fe80::76d0:2bff:fe6d:418a%en0', 'en0', false]]);
  // VPN up: the tunnel (link#21, no next hop) is primary; the physical default is scoped to en0.
  const vpn = parseNetstatRoutes(fixture('darwin', 'netstat-rn-defaults-RT_IFA-vpn-up--swgp-go-pr49.txt'));
  assert.deepEqual(vpn.filter((r) => r.family === 'inet').map((r) => [r.gateway, r.interface, r.flags, r.scoped]), [[null, 'utun6', 'UCSg', false], ['192.168.51.1', 'en0', 'UGScIg', true]]);
  assert.deepEqual([primaryDefault(vpn)?.interface, primaryDefault(vpn)?.gateway], ['utun6', null]);
  // whichway: the physical default first, the VPN's scoped (UCSIg).
  const ww = parseNetstatRoutes(fixture('darwin', 'netstat-rn-f-inet-vpn--whichway.txt'));
  assert.deepEqual([primaryDefault(ww)?.gateway, primaryDefault(ww)?.interface], ['192.168.6.1', 'en7']);
  assert.deepEqual(ww.map((r) => r.interface), ['en7', 'utun6']);
  const v6 = parseNetstatRoutes(fixture('darwin', 'netstat-rn-f-inet6--whichway.txt'));
  assert.equal(v6.length, 7);
  assert.deepEqual([v6[0]!.gateway, v6[0]!.scoped, v6[1]!.gateway, v6[1]!.scoped], ['fe80::64e8:8180:6b8:e980%en7', false, 'fe80::%utun0', true]);
  assert.equal(primaryDefault(v6), undefined, 'no IPv4 table, no IPv4 default');
});
