// The flood of flood.test.ts, run in a child with the engine's V8 flags (shared/engine-runtime.ts) so its
// RSS is the engine's: every port (65,535) from 50 sources at once, then 100,000 random subdomains of
// one domain, fed to an intelligence tier in batches of 5,000 events as capture reports would be.
// Prints one JSON line: the alerts raised, the structures' sizes and their caps' checks, memory.
import v8 from 'node:v8';
import vm from 'node:vm';
import { defaultConfig, type Interface } from '../../../../shared/index.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { AlertStore } from '../../../../electron/collector/engine/alerts.ts';
import { IntelTier } from '../../../../electron/collector/engine/intel/intel-tier.ts';
import { PORTSCAN_CAPS } from '../../../../electron/collector/engine/intel/portscan.ts';
import { DNS_CAPS } from '../../../../electron/collector/engine/intel/dns-tunnel.ts';
import type { IntelEvent } from '../../../../electron/collector/engine/intel/events.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const ME = '10.213.2.2';
const cfg = defaultConfig();
const ifaces = [{ name: 'eth0', ipv4: [`${ME}/24`], ipv6: [] } as unknown as Interface];
const tier = new IntelTier({ config: () => cfg, os: nodeOs }, () => ifaces);
const store = new AlertStore();
gc();
const heap0 = process.memoryUsage().heapUsed, rss0 = process.memoryUsage().rss;
let peak = 0, overCap = '', batches = 0, rssHalf = 0;
const raised: Record<string, number> = {};
const apply = (now: number) => {
  for (const a of store.apply(tier.take(), now)) raised[a.category] = (raised[a.category] ?? 0) + 1;
  const s = tier.sizes();
  if (s.pairs > PORTSCAN_CAPS.MAX_PAIRS || s.ports > PORTSCAN_CAPS.MAX_PORTS_TOTAL || s.domains > DNS_CAPS.MAX_DOMAINS
    || s.subdomains > DNS_CAPS.MAX_DOMAINS * DNS_CAPS.MAX_SUBS || s.waiting > DNS_CAPS.MAX_TRANSACTIONS) overCap ||= JSON.stringify(s);
  peak = Math.max(peak, process.memoryUsage().rss);
  batches++;
};
let batch: IntelEvent[] = [];
let ts = 1_800_000_000_000;
// The scan: port by port, each source one SYN answered by RST; 3.3 M attempts over ~66 s of event time.
for (let port = 1; port <= 65535; port++) {
  for (let s = 0; s < 50; s++) batch.push({ kind: 'connect', ts, proto: 'tcp', src: `10.99.${s}.1`, srcPort: 40000 + s, dst: ME, dstPort: port, outcome: 'refused', connectMs: null });
  ts += 1;
  if (batch.length >= 5000) { tier.ingest(batch); batch = []; apply(ts); }
  if (port === 32768) rssHalf = peak;
}
tier.ingest(batch); batch = []; apply(ts);
const scan = store.active().find((a) => a.category === 'portscan');
// The tunnel: 100k random names under one domain, 1,000 a second, each from a new port and id.
for (let i = 0; i < 100_000; i++) {
  const name = `${Math.random().toString(36).slice(2)}${i.toString(36)}.exfil.example.com`;
  batch.push({ kind: 'dns', ts, msg: { atUs: ts * 1000, proto: 'udp', src: ME, srcPort: 1024 + (i % 60000), dst: '10.213.2.1', dstPort: 53, id: i % 65536, response: false, opcode: 0, rcode: 0, qtype: 16, qname: name, answerCount: 0, answers: [], malformed: false } });
  ts += 1;
  if (batch.length >= 5000) { tier.ingest(batch); batch = []; apply(ts); }
}
tier.ingest(batch); apply(ts);
gc();
const sizes = tier.sizes();
tier.tick(ts + 61_000);
console.log(JSON.stringify({
  raised, sizes, overCap, batches, scanPorts: scan?.evidence?.ports?.count ?? null, scanDetail: scan?.detail ?? null,
  keptMb: mb(process.memoryUsage().heapUsed - heap0), rssStartMb: mb(rss0), rssHalfMb: mb(rssHalf), rssPeakMb: mb(peak),
  afterTick: tier.sizes(),
}));
