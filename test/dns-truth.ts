// The DNS analytics over nw-capture's output next to the same figures computed from tshark's fields
// (`tshark -2 -r … -Y dns -T fields -e frame.time_epoch -e dns.id -e dns.flags.response -e
// dns.flags.rcode -e dns.qry.name -e dns.time -e dns.response_in`): live (integration) and on the
// recorded fixture (unit). Probes (`probe.nw.test`) are left out of both.
import { parseCaptureOutput } from '../electron/collector/capture.ts';
import { DnsAnalyticsTracker, bucketOf } from '../electron/collector/engine/dns-analytics.ts';
import { DNS_LATENCY_BUCKETS_MS } from '../shared/index.ts';

/** The analytics over the helper's output, and the same figures from tshark's fields; probes left out of both. */
export function dnsAgainstTshark(helperOut: string, tsharkFields: string) {
  const tracker = new DnsAnalyticsTracker();
  const msgs = parseCaptureOutput(helperOut).reports.flatMap((r) => r.dns).filter((m) => m.qname !== 'probe.nw.test');
  tracker.observe(msgs, msgs.at(-1)!.atUs);
  tracker.observe([], msgs.at(-1)!.atUs + 10_000_000); // every open transaction expired
  const a = tracker.snapshot();
  const rows = tsharkFields.split('\n').filter(Boolean).map((l) => l.split('\t')).filter((f) => f[4] !== 'probe.nw.test');
  const buckets = new Array(DNS_LATENCY_BUCKETS_MS.length + 1).fill(0);
  let sum = 0;
  for (const f of rows) if (f[2] === '1' && f[5]) { const ms = Number(f[5]) * 1000; buckets[bucketOf(ms)]++; sum += ms; }
  return {
    tshark: {
      queries: rows.filter((f) => f[2] === '0').length, responses: rows.filter((f) => f[2] === '1').length,
      nxdomain: rows.filter((f) => f[2] === '1' && f[3] === '3').length, unanswered: rows.filter((f) => f[2] === '0' && !f[6]).length,
      latencyBuckets: buckets, latencySumMs: sum,
    },
    ours: { queries: a.queries, responses: a.responses, nxdomain: a.nxdomain, unanswered: a.unanswered, latencyBuckets: a.latencyBuckets, latencySumMs: a.latencySumMs },
  };
}
