// Every alert category in a sentence a non-expert follows, with what to do. Bandwidth, quota, new-app
// and network-change alerts come from their real detectors; port-scan, beaconing and DNS-tunnel alerts
// carry the evidence the contract (intel.ts) gives them, as those detectors fill it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_CATEGORIES, AlertSchema, explain, explainText, formatRate, type Alert, type Interface } from '../../../shared/index.ts';
import { BandwidthDetector, QuotaDetector, type Trigger } from '../../../electron/collector/engine/alerts.ts';
import { NewAppDetector } from '../../../electron/collector/engine/new-app.ts';
import { KnownApps } from '../../../electron/collector/engine/known-apps.ts';
import { NetworkChangeDetector } from '../../../electron/collector/engine/network-change.ts';
import { IntelTier } from '../../../electron/collector/engine/intel/intel-tier.ts';
import { eventsOfReport } from '../../../electron/collector/engine/intel/events.ts';
import { parseCaptureOutput } from '../../../electron/collector/capture.ts';
import { nodeOs } from '../../../electron/collector/os.ts';
import { defaultConfig, mergeConfig } from '../../../shared/index.ts';
import { fixture } from '../../helpers.ts';

const alert = (t: Trigger): Alert => AlertSchema.parse({ ...t, id: 'a1', firstTs: 0, lastTs: 0, active: true });
const iface = (rxBps: number) => ({ name: 'wlan0', type: 'WiFi', rxBps, txBps: 0 }) as Interface;
const seen = new Set<string>();
const say = (a: Alert) => { seen.add(a.category); const x = explain(a); assert.ok(x.what.length > 20 && x.todo.length > 20); assert.doesNotMatch(`${x.what} ${x.todo}`, /undefined|NaN|\[object/); return x; };

test('bandwidth: the rate, the interface, the threshold, the app; critical says twice', () => {
  const d = new BandwidthDetector(50e6);
  const apps = [{ id: '/usr/lib/firefox/firefox', app: 'Firefox', rxBps: 61e6, txBps: 0, loopback: { rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 } }] as never;
  d.check([iface(62e6)], 0, apps);
  const x = say(alert(d.check([iface(62e6)], 1, apps)[0]!));
  assert.equal(x.what, 'This computer is downloading at 62.0 MB/s on wlan0, above your alert threshold of 50.0 MB/s; most of it by Firefox.');
  assert.match(x.todo, /^If you expected a large download .* look at Firefox in Apps, and raise the threshold in Settings/);
  const crit = alert(d.check([iface(120e6)], 2, apps)[0]!);
  assert.match(explain(crit, { rate: (b) => formatRate(b, 'bits'), bytes: String }).what, /downloading at 960 Mbit\/s on wlan0, more than twice your alert threshold of 400 Mbit\/s/, 'in the caller\'s units');
});

test('quota: the share used, used and limit; used up says what happens', () => {
  const q = (usedBytes: number) => ({ interface: 'wwan0', limitBytes: 10e9, resetDay: 1, usedBytes, periodStart: 0, periodEnd: 1e12, pct: usedBytes / 1e8, unavailable: null });
  const d = new QuotaDetector();
  assert.equal(say(alert(d.check([q(8.5e9)], 0)[0]!)).what, '85 % of the data plan on wwan0 is used: 8.50 GB of 10.0 GB since the last reset.');
  const over = say(alert(d.check([q(10.2e9)], 0)[0]!));
  assert.equal(over.what, 'The data plan on wwan0 is used up: 10.2 GB of 10.0 GB since the last reset.');
  assert.match(over.todo, /cost extra or be slowed/);
});

test('port scan, inbound and outbound: who, how many ports with the sample, within how long', () => {
  const base = { key: 'portscan:10.213.80.2', category: 'portscan', severity: 'warning', title: 'Port scan', detail: '', value: 100, threshold: 20 } as const;
  const inbound = say(alert({ ...base, evidence: { source: '10.213.80.2', destination: '10.213.80.1', direction: 'inbound', ports: { sample: [21, 22, 23, 25, 80], count: 100 }, windowSec: 12 } }));
  assert.equal(inbound.what, '10.213.80.2 tried 100 different ports (21, 22, 23, 25, 80, …) on this computer within 12 s: that is a port scan, a search for services to attack.');
  assert.match(inbound.todo, /If 10\.213\.80\.2 is a device you know .* block it in your firewall or router/);
  const outbound = say(alert({ ...base, evidence: { source: '10.213.80.1', destination: '10.213.80.2', direction: 'outbound', ports: { sample: [22, 80, 443], count: 3 }, app: { id: '/usr/bin/nmap', name: 'nmap' } } }));
  assert.equal(outbound.what, 'nmap tried 3 different ports (22, 80, 443) on 10.213.80.2: that is a port scan, a search for services to attack.');
  assert.match(outbound.todo, /remove it — unexpected scanning is a sign of malware/);
  const passing = explain(alert({ ...base, evidence: { source: '10.213.80.2', destination: '10.213.80.9', ports: { sample: [22], count: 25 } } }));
  assert.match(passing.what, /^10\.213\.80\.2 tried 25 different ports \(22, …\) on 10\.213\.80\.9: that is a port scan/, 'neither side this machine: both hosts named');
});

test('port scan from the real detector: nmap -sT of 30 closed ports recorded in namespaces, on the scanned side (alerted at the 20th, nmap picks ports at random)', () => {
  const cfg = mergeConfig(defaultConfig(), { intel: { ...defaultConfig().intel, portScan: { ports: 20, windowSec: 30 } } });
  const me = { name: 'nwfxa', ipv4: ['10.213.58.2/24'], ipv6: [] } as unknown as Interface;
  const tier = new IntelTier({ config: () => cfg, os: nodeOs }, () => [me]);
  for (const r of parseCaptureOutput(fixture('linux', 'nw-capture-r-nmap-sT-30--netns.txt')).reports) tier.ingest(eventsOfReport(r));
  const [t] = tier.take().filter((x) => x.category === 'portscan');
  const x = say(alert(t!));
  assert.match(x.what, /^10\.213\.58\.1 tried 20 different ports \((\d+, ){19}\d+\) on this computer within 30 s: that is a port scan, a search for services to attack\.$/);
  assert.equal(x.todo, t!.evidence!.advice, 'the detector\'s own advice');
});

test('beaconing: the app, where, how often and how regular', () => {
  const x = say(alert({
    key: 'beaconing:a', category: 'beaconing', severity: 'warning', title: 'Beaconing', detail: '', value: 6, threshold: 5,
    evidence: { app: { id: '/usr/bin/python3', name: 'python3' }, destination: '10.213.81.1', ports: { sample: [8443], count: 1 }, count: 6, periodMs: 5012, jitterPct: 3.2, intervalsMs: [5000, 5100, 4950, 10020, 5012] },
  }));
  assert.equal(x.what, 'python3 contacted 10.213.81.1 port 8443 6 times, regularly every 5.01 s (varying by only 3 %): software that "phones home" on a timer looks like this — update checks and chat apps, but also malware waiting for orders.');
  assert.match(x.todo, /add it to the allow-list in Settings; if not, look it up in Connections/);
});

test('DNS tunnel: many names under one domain, or one very long name', () => {
  const base = { key: 'dns-tunnel:x', category: 'dns-tunnel', severity: 'warning', title: 'DNS tunnel', detail: '', value: 60, threshold: 50 } as const;
  const many = say(alert({ ...base, evidence: { domain: 'tunnel.example', names: ['a8f3k2.tunnel.example'], uniqueSubdomains: 58, queriesPerMin: 60, source: '10.213.82.2' } }));
  assert.equal(many.what, '10.213.82.2 looked up 58 different names under tunnel.example in a minute (60 queries) (for example a8f3k2.tunnel.example): data can be smuggled out hidden in DNS names like these (a DNS tunnel).');
  const name = `${'x'.repeat(60)}.${'y'.repeat(30)}.tunnel.example`;
  const long = say(alert({ ...base, evidence: { domain: 'tunnel.example', names: [name], app: { id: '/usr/bin/dig', name: 'dig' } } }));
  assert.match(long.what, new RegExp(`^dig looked up an unusually long name of ${name.length} characters under tunnel\\.example`));
  assert.match(long.todo, /If you trust tunnel\.example/);
});

test('new app: its name and whom it talked to; the damaged-file notice says nothing is lost', () => {
  const d = new NewAppDetector(KnownApps.open(null, -1e9));
  const [t] = d.check([{ id: '/opt/zoom/zoom', name: 'Zoom', exe: '/opt/zoom/zoom', remote: '10.213.83.1' }], 0);
  const x = say(alert(t!));
  assert.equal(x.what, 'Zoom used the network for the first time since NetWatch watches this computer, talking to 10.213.83.1.');
  assert.match(x.todo, /If you just installed or started Zoom, nothing to do/);
  const notice = explain(alert({ key: 'new-app:store', category: 'new-app', severity: 'info', title: 't', detail: '/x/known-apps.json was damaged (Unexpected end of JSON input): moved aside', value: 0, threshold: 0 }));
  assert.match(notice.what, /could not use its list of apps seen before: \/x\/known-apps\.json was damaged/);
});

test('network change: the DNS servers and the gateway MAC, before and after', () => {
  const d = new NetworkChangeDetector();
  const gw = { ip: '192.0.2.1', mac: '02:fc:00:00:00:05' };
  d.check({ dnsServers: ['10.255.255.53'], gateway: gw }, 0);
  const [dns] = d.check({ dnsServers: ['203.0.113.66'], gateway: gw }, 1);
  const x = say(alert(dns!));
  assert.equal(x.what, "This computer's DNS server changed from 10.255.255.53 to 203.0.113.66: every web address you type is now looked up there.");
  assert.match(x.todo, /join another network or turn a VPN on or off; if you did neither/);
  const [mac] = d.check({ dnsServers: ['203.0.113.66'], gateway: { ...gw, mac: '02:fc:00:00:00:99' } }, 2);
  assert.match(say(alert(mac!)).todo, /ARP spoofing/);
});

test('every category has its sentence; advice from the detector wins; one text for notifications', () => {
  assert.deepEqual([...seen].sort(), [...ALERT_CATEGORIES].sort());
  const a = alert({ key: 'k', category: 'portscan', severity: 'warning', title: 't', detail: '', value: 30, threshold: 20, evidence: { source: '10.0.0.9', advice: 'Your router scans its clients hourly; nothing to do.' } });
  assert.equal(explain(a).todo, 'Your router scans its clients hourly; nothing to do.');
  assert.equal(explainText(a), `${explain(a).what} Your router scans its clients hourly; nothing to do.`);
});
