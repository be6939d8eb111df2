// DNS analytics built from the contract (shared/contract/intel.ts DnsAnalyticsSchema), for the metrics
// tests while no recording has them: the engine fills snapshot.dns in a later change. Not a fixture:
// counts chosen so every latency bucket, the overflow (≥ 500 ms) included, holds responses.
import { DNS_LATENCY_BUCKETS_MS, DnsAnalyticsSchema, type DnsAnalytics, type Snapshot } from '../../../../shared/index.ts';

/** The analytics after `i` steps: bucket k holds i·(k+1) responses, 40·i queries, 3·i NXDOMAIN, i unanswered. */
export function analytics(i: number, method: DnsAnalytics['method'] = 'capture'): DnsAnalytics {
  const buckets = Array.from({ length: DNS_LATENCY_BUCKETS_MS.length + 1 }, (_, k) => i * (k + 1));
  const figures = {
    queries: 40 * i, responses: buckets.reduce((a, b) => a + b, 0), nxdomain: 3 * i, latencyBuckets: buckets,
    latencySumMs: buckets.reduce((a, n, k) => a + n * (DNS_LATENCY_BUCKETS_MS[k] ?? 800), 0), unanswered: i,
    topDomains: [{ domain: 'nw.test', queries: 40 * i, nxdomain: 3 * i }],
  };
  return DnsAnalyticsSchema.parse({ method, ...figures, apps: [{ appId: '/usr/bin/dig', app: 'dig', ...figures }] });
}

/** Each snapshot with the analytics of step from + its index. */
export const withDns = (snaps: Snapshot[], from = 0): Snapshot[] => snaps.map((s, i) => ({ ...s, dns: analytics(from + i) }));
