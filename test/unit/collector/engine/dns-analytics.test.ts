// DNS analytics on the recorded lab run (320 dig queries through a forwarder holding answers 0–650 ms,
// captured by nw-capture and tshark at once): counts and latency buckets as tshark has them; top domains
// by the Public Suffix List; per app once the connection poll names the querying socket's owner; memory
// bounded under a flood of random names and unanswered queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureOutput, type DnsMessage } from '../../../../electron/collector/capture.ts';
import {
  DnsAnalyticsTracker, MAX_DOMAINS, MAX_PENDING, MAX_UNOWNED, bucketOf, registrable,
} from '../../../../electron/collector/engine/dns-analytics.ts';
import { DnsAnalyticsSchema } from '../../../../shared/index.ts';
import { dnsAgainstTshark } from '../../../dns-truth.ts';
import { fixture } from '../../../helpers.ts';

const HELPER_OUT = fixture('linux', 'nw-capture-serve-dns-delayed--netns-dnsmasq.txt');
const TSHARK = fixture('linux', 'tshark-T-fields-dns-time--netns-dnsmasq-delayed.txt');
const messages = parseCaptureOutput(HELPER_OUT).reports.flatMap((r) => r.dns);

test('the recorded lab run: queries, responses, NXDOMAIN, unanswered and every latency bucket as tshark has them', () => {
  const { ours, tshark } = dnsAgainstTshark(HELPER_OUT, TSHARK);
  const { latencySumMs: a, ...figures } = ours, { latencySumMs: b, ...truth } = tshark;
  assert.deepEqual(figures, truth);
  assert.deepEqual(figures, { queries: 320, responses: 304, nxdomain: 101, unanswered: 16, latencyBuckets: [37, 37, 40, 38, 38, 38, 38, 38] });
  assert.ok(Math.abs(a - b) < 1, `${a} vs ${b}`);
});

test('bucket bounds: < 5, < 10, … < 500, then ≥ 500 ms', () => {
  assert.deepEqual([0, 4.999, 5, 9.9, 10, 24, 25, 49, 50, 99, 100, 249, 250, 499.9, 500, 5000].map(bucketOf), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
});

test('registrable domains by the Public Suffix List, top domains from the run', () => {
  assert.equal(registrable('www.bbc.co.uk'), 'bbc.co.uk');
  assert.equal(registrable('A.B.Example.COM.'), 'example.com');
  assert.equal(registrable('foo.github.io'), 'foo.github.io', 'private suffixes count (github.io hosts many sites)');
  assert.equal(registrable('d7-1.ok.nw.test'), 'nw.test', 'an unlisted TLD: its last label is the suffix');
  assert.equal(registrable('localhost'), 'localhost');
  const t = new DnsAnalyticsTracker();
  t.observe(messages, messages.at(-1)!.atUs + 10_000_000);
  const s = t.snapshot();
  assert.deepEqual(s.topDomains, [{ domain: 'nw.test', queries: messages.filter((m) => !m.response).length, nxdomain: messages.filter((m) => m.response && m.rcode === 3).length }], 'the probes before the run included');
  assert.ok(DnsAnalyticsSchema.safeParse(s).success);
});

test('per app: queries wait for the poll that names their socket; later ones of that socket go straight to it', () => {
  const t = new DnsAnalyticsTracker();
  const firstQuery = messages.findIndex((m) => !m.response && m.qname !== 'probe.nw.test');
  const batch = messages.slice(firstQuery, firstQuery + 40);
  const sockets = new Set(batch.filter((m) => !m.response).map((m) => `${m.src}|${m.srcPort}`));
  const owned = [...sockets][0]!;
  t.observe(batch, batch.at(-1)!.atUs);
  assert.deepEqual(t.snapshot().apps, [], 'no owner known before a poll');
  const dig = { id: 'exe:/usr/bin/dig', name: 'dig' };
  t.attribute((proto, ip, port) => (proto === 'udp' && `${ip}|${port}` === owned ? dig : null));
  const app = t.snapshot().apps;
  const mine = batch.filter((m) => (m.response ? `${m.dst}|${m.dstPort}` : `${m.src}|${m.srcPort}`) === owned);
  assert.equal(app.length, 1);
  assert.equal(app[0]!.appId, dig.id);
  assert.equal(app[0]!.queries, mine.filter((m) => !m.response).length);
  assert.equal(app[0]!.responses, mine.filter((m) => m.response).length);
  // Another query from the same socket is the app's at once.
  const [ip, port] = owned.split('|');
  const again: DnsMessage = { ...batch.find((m) => !m.response)!, src: ip!, srcPort: Number(port), id: 4242, qname: 'again.example.org', atUs: batch.at(-1)!.atUs + 1 };
  t.observe([again], again.atUs);
  const after = t.snapshot().apps[0]!;
  assert.equal(after.queries, app[0]!.queries + 1);
  assert.ok(after.topDomains.some((d) => d.domain === 'example.org'));
  assert.equal(t.snapshot().queries, batch.filter((m) => !m.response).length + 1, 'the totals count every query once');
});

test('a flood of random names (50k one-off domains, 50k random subdomains) and unanswered queries stays within the caps; the counts stay exact', () => {
  const t = new DnsAnalyticsTracker();
  const base = messages.find((m) => !m.response)!;
  const N = 100_000;
  const flood: DnsMessage[] = Array.from({ length: N }, (_, i) => ({
    ...base, id: i & 0xffff, srcPort: 1024 + (i % 60000), qname: i % 2 ? `w${i}.net` : `x${i.toString(36)}.r${i % 9000}.example${i % 7}.com`, atUs: base.atUs + i * 10,
  }));
  for (let i = 0; i < N; i += 1000) t.observe(flood.slice(i, i + 1000), flood[Math.min(N, i + 1000) - 1]!.atUs);
  const sz = t.sizes;
  assert.ok(sz.pending <= MAX_PENDING && sz.unowned <= MAX_UNOWNED && sz.domains <= MAX_DOMAINS, JSON.stringify(sz));
  t.observe([], flood.at(-1)!.atUs + 10_000_000);
  const s = t.snapshot();
  assert.equal(s.queries, N);
  assert.equal(s.unanswered, N, 'every query given up: expired after 5 s or pushed out of the full table');
  assert.equal(t.sizes.pending, 0);
  assert.deepEqual(s.topDomains.slice(0, 7).map((d) => d.domain).sort(), Array.from({ length: 7 }, (_, i) => `example${i}.com`), 'random subdomains fold into their parent');
  assert.ok(s.topDomains.slice(0, 7).every((d) => d.queries > 7000), 'the parents kept their counts through the pruning of 50k one-off domains');
});
