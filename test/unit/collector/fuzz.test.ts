// Property tests: every Linux parser survives mutated real captures and random text without throwing,
// and never returns a negative or non-finite number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture, fixtureNames } from '../../helpers.ts';
import { parseProcNetDev } from '../../../electron/collector/linux/proc-net-dev.ts';
import { parseIpLinkJson } from '../../../electron/collector/linux/ip-link.ts';
import { parseSockdiag } from '../../../electron/collector/linux/sockdiag.ts';
import { parseSs } from '../../../electron/collector/linux/ss.ts';
import { parseProcNetUdp } from '../../../electron/collector/linux/proc-net-udp.ts';
import { parseProcNetSnmp } from '../../../electron/collector/linux/proc-net-snmp.ts';
import { parseMeminfo, parseProcStatCpu } from '../../../electron/collector/linux/proc-stat.ts';
import { parseDiskstats, parseMounts } from '../../../electron/collector/linux/proc-diskstats.ts';
import { parseProcNetIpv6Route, parseProcNetRoute } from '../../../electron/collector/linux/proc-net-route.ts';
import { parseResolvConf, parseResolvectlStatus } from '../../../electron/collector/linux/resolv.ts';
import { parsePing } from '../../../electron/collector/ping.ts';
import { parseIwLink, parseProcNetWireless } from '../../../electron/collector/linux/iw.ts';
import { parseProcStat } from '../../../electron/collector/linux/proc-fd.ts';
import { countersOf, parseNetstatLinks } from '../../../electron/collector/darwin/netstat-ib.ts';
import { parseRouteGet } from '../../../electron/collector/darwin/route-get.ts';
import { parseScutilDns } from '../../../electron/collector/darwin/scutil-dns.ts';
import { parseSwapUsage, parseVmStat } from '../../../electron/collector/darwin/vm-stat.ts';
import { parseNettop } from '../../../electron/collector/darwin/nettop.ts';
import { parseLsofFields, parseLsofRows } from '../../../electron/collector/darwin/lsof.ts';
import { parseNetstatAn } from '../../../electron/collector/darwin/netstat-an.ts';
import { parseAirportI, parseCoreWlan, parseSystemProfilerAirport, parseWdutil } from '../../../electron/collector/darwin/wifi.ts';
import { parseHardwarePorts } from '../../../electron/collector/darwin/hardware-ports.ts';
import { parseDarwinMount } from '../../../electron/collector/darwin/mount.ts';
import { parseNetstatRoutes } from '../../../electron/collector/darwin/netstat-rn.ts';

/** Mutations of a real capture: flipped characters, cut lines, duplicated and dropped lines, junk. */
export function mutated(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('char' as const), at: fc.nat(), ch: fc.constantFrom('', ' ', '\t', ':', '-', '9', 'x', '\n', '(', ')', '"', '[', ']', '%', '/', '\0', 'é', '-1', '99999999999999999999', '1e999') }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
    fc.record({ kind: fc.constant('line' as const), at: fc.nat(), op: fc.constantFrom('drop', 'dup', 'swap', 'truncate') }),
    fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), s: fc.string({ maxLength: 30 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let t = text;
    let ls = lines.slice();
    for (const e of edits) {
      if (e.kind === 'line') {
        const i = ls.length ? e.at % ls.length : 0;
        if (e.op === 'drop') ls.splice(i, 1);
        else if (e.op === 'dup') ls.splice(i, 0, ls[i] ?? '');
        else if (e.op === 'swap' && ls.length > 1) [ls[i], ls[0]] = [ls[0]!, ls[i]!];
        else ls[i] = (ls[i] ?? '').slice(0, Math.floor((ls[i] ?? '').length / 2));
        t = ls.join('\n');
        continue;
      }
      const i = t.length ? e.at % t.length : 0;
      if (e.kind === 'char') t = t.slice(0, i) + e.ch + t.slice(i + 1);
      else if (e.kind === 'cut') t = t.slice(0, i) + t.slice(i + e.len);
      else t = t.slice(0, i) + e.s + t.slice(i);
      ls = t.split('\n');
    }
    return t;
  });
}

/** Every number anywhere in the value is finite and not negative (dBm fields excepted by name). */
export function assertSaneNumbers(v: unknown, path = '$'): void {
  if (typeof v === 'number') {
    assert.ok(Number.isFinite(v), `${path} is ${v}`);
    if (!/Dbm/.test(path)) assert.ok(v >= 0, `${path} is negative: ${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => assertSaneNumbers(x, `${path}[${i}]`));
  else if (v instanceof Map) for (const [k, x] of v) assertSaneNumbers(x, `${path}.${String(k)}`);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) assertSaneNumbers(x, `${path}.${k}`);
}

const parsers: Array<[string, (t: string) => unknown, string[]]> = [
  ['parseProcNetDev', parseProcNetDev, ['proc-net-dev--netwatch-vm.txt', 'proc-net-dev-netns-virtual--netwatch-vm.txt']],
  ['parseSockdiag', parseSockdiag, ['nw-sockdiag--netwatch-vm.txt']],
  ['parseSs', parseSs, fixtureNames('linux').filter((f) => f.startsWith('ss-'))],
  ['parseProcNetUdp', parseProcNetUdp, ['proc-net-udp--netwatch-vm.txt', 'proc-net-udp6--netwatch-vm.txt', 'proc-net-tcp--netwatch-vm.txt']],
  ['parseProcNetSnmp', parseProcNetSnmp, ['proc-net-snmp--netwatch-vm.txt']],
  ['parseProcStatCpu', parseProcStatCpu, ['proc-stat--netwatch-vm.txt']],
  ['parseMeminfo', parseMeminfo, ['proc-meminfo--netwatch-vm.txt']],
  ['parseMounts', parseMounts, ['proc-mounts--netwatch-vm.txt']],
  ['parseDiskstats', parseDiskstats, ['proc-diskstats--netwatch-vm.txt']],
  ['parseProcNetRoute', parseProcNetRoute, ['proc-net-route--netwatch-vm.txt', 'proc-net-route--jc.txt']],
  ['parseProcNetIpv6Route', parseProcNetIpv6Route, ['proc-net-ipv6_route--netwatch-vm.txt', 'proc-net-ipv6_route--jc.txt']],
  ['parseResolvConf', parseResolvConf, fixtureNames('linux').filter((f) => f.includes('resolv.conf'))],
  ['parseResolvectlStatus', parseResolvectlStatus, ['resolvectl-status--systemd-issue18855.txt']],
  ['parsePing', parsePing, fixtureNames('linux').filter((f) => f.startsWith('ping-'))],
  ['parseIwLink', (t) => parseIwLink('wlan0', t), fixtureNames('linux').filter((f) => f.startsWith('iw-dev-link'))],
  ['parseProcNetWireless', parseProcNetWireless, ['proc-net-wireless--telegraf-testdata.txt']],
  ['parseProcStat', parseProcStat, []],
];

const darwin: Array<[string, (t: string) => unknown, string[]]> = [
  ['parseNetstatLinks', (t) => parseNetstatLinks(t).map((l) => ({ ...l, counters: countersOf(l) })), fixtureNames('darwin').filter((f) => f.startsWith('netstat-i'))],
  ['parseRouteGet', parseRouteGet, fixtureNames('darwin').filter((f) => f.startsWith('route-get'))],
  ['parseScutilDns', parseScutilDns, fixtureNames('darwin').filter((f) => f.startsWith('scutil-dns'))],
  ['parseVmStat', parseVmStat, fixtureNames('darwin').filter((f) => f.startsWith('vm_stat'))],
  ['parseSwapUsage', parseSwapUsage, ['sysctl-vm.swapusage--jc-osx-10.14.6.txt']],
  ['parseNettop', parseNettop, fixtureNames('darwin').filter((f) => f.startsWith('nettop'))],
  ['parseLsofFields', parseLsofFields, ['lsof-i443-F-fieldoutput--siky-blog.txt']],
  ['parseLsofRows', parseLsofRows, ['lsof-n-P-i-rows--bandwhich-test.txt']],
  ['parseNetstatAn', parseNetstatAn, ['netstat-v-n-p-tcp-with-pid--node-netstat-issue26.txt', 'netstat-An--jc-osx-10.14.6.txt']],
  ['parseAirportI', (t) => parseAirportI('en0', t), fixtureNames('darwin').filter((f) => f.startsWith('airport'))],
  ['parseWdutil', (t) => parseWdutil(t), fixtureNames('darwin').filter((f) => f.startsWith('wdutil'))],
  ['parseSystemProfilerAirport', parseSystemProfilerAirport, fixtureNames('darwin').filter((f) => f.startsWith('system_profiler'))],
  ['parseHardwarePorts', parseHardwarePorts, fixtureNames('darwin').filter((f) => f.startsWith('networksetup'))],
  ['parseDarwinMount', parseDarwinMount, fixtureNames('darwin').filter((f) => f.startsWith('mount'))],
  ['parseNetstatRoutes', parseNetstatRoutes, fixtureNames('darwin').filter((f) => f.startsWith('netstat-r'))],
];

const RUNS = 1000;

for (const [platform, list] of [['linux', parsers], ['darwin', darwin]] as const) for (const [name, parse, files] of list) {
  test(`${name} survives ${RUNS * (files.length + 1)} mutated and random inputs`, () => {
    for (const f of files) {
      fc.assert(fc.property(mutated(fixture(platform, f)), (t) => assertSaneNumbers(parse(t))), { numRuns: RUNS });
    }
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => assertSaneNumbers(parse(t))), { numRuns: RUNS });
  });
}

test('parseIpLinkJson: mutated JSON either parses or fails with its own clear error', () => {
  const text = fixture('linux', 'ip-j-d-link-netns-virtual--netwatch-vm.txt');
  fc.assert(fc.property(mutated(text), (t) => {
    try {
      assertSaneNumbers(parseIpLinkJson(t));
    } catch (e) {
      assert.match((e as Error).message, /^ip -j link: /);
    }
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.json(), (t) => {
    try { parseIpLinkJson(t); } catch (e) { assert.match((e as Error).message, /^ip -j link: /); }
  }), { numRuns: 1000 });
});

// COREWLAN_SCRIPT's JSON has no real capture (no Mac here), so its fields are drawn at random, numbers
// written as JSON text can write them: 1e999 and -1e999 parse to ±Infinity.
test('parseCoreWlan: any field values give finite readings or none', () => {
  const number = fc.oneof(fc.double().map((n) => (Number.isFinite(n) ? JSON.stringify(n) : n > 0 ? '1e999' : '-1e999')),
    fc.constantFrom('1e999', '-1e999', '0', '-60', 'null', '"x"', 'true'));
  const reading = fc.record({ rssi: number, noise: number, txRate: number, channel: number, band: number });
  fc.assert(fc.property(fc.array(reading, { maxLength: 3 }), (rs) => {
    const text = `[${rs.map((r) => `{"interface":"en0","power":true,"ssid":"x","bssid":null,${
      Object.entries(r).map(([k, v]) => `"${k}":${v}`).join(',')}}`).join(',')}]`;
    const out = parseCoreWlan(text);
    assert.ok(out, text);
    assertSaneNumbers(out);
  }), { numRuns: 2000 });
});
