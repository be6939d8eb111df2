// DNS tunnel: data smuggled in query names. Two signs: a query name longer than the threshold (bytes,
// presentation form without the final dot, an escape \DDD counting as the one byte it stands for), or
// more queries a minute to one parent domain (Public Suffix List) than the threshold, with more distinct
// subdomains among them than the other threshold. Queries only (a response repeats its query's name); a
// retransmission of a query still waiting for its answer counts once. Times in ms.
import type { AlertEvidence, IntelThresholds } from '../../../../shared/index.ts';
import type { Trigger } from '../alerts.ts';
import type { DnsMessage } from '../../capture.ts';
import type { EventApp } from './events.ts';
import { isMinimisationProbe, normName, parentDomain } from './allow.ts';
import { REFRESH_MS } from './portscan.ts';

/** The rate's window: one minute, in one-second buckets. */
const WINDOW_MS = 60_000;
/** A query with no response is forgotten after this long (and a resend after it counts again). */
export const DNS_TRANSACTION_MS = 5000;
/**
 * Caps under a flood of random names: MAX_DOMAINS parent domains (the least recently queried goes
 * first), MAX_SUBS distinct names each (kept as 32-bit hashes; the least recently seen goes first, so a
 * count saturates there), MAX_TRANSACTIONS queries waiting for an answer (the oldest goes first).
 * At most 512 × 1,024 entries of ~40 B ≈ 21 MB.
 */
export const DNS_CAPS = { MAX_DOMAINS: 512, MAX_SUBS: 1024, MAX_TRANSACTIONS: 8192, SAMPLES: 5 } as const;

interface Domain {
  /** Queries per second of the window: counts[i] for second secs[i] (seconds since the epoch). */
  counts: Uint32Array; secs: Float64Array;
  /** Hash of the name → last query (ms), least recent first. */
  subs: Map<number, number>;
  /** The last distinct names queried (at most SAMPLES), and who asked the last one. */
  names: string[];
  src: string; dst: string; app?: EventApp;
  /** When this domain last gave a long-name and a rate trigger (ms). */
  longAt: number; rateAt: number;
}

/** FNV-1a, 32 bits: names are kept as hashes so a flood of long names costs a number each. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Bytes a name in presentation form stands for: `\DDD` and `\X` escapes are one byte each. */
export const nameBytes = (qname: string) => normName(qname).replace(/\\(\d{3}|.)/g, 'x').length;

export class DnsTunnelDetector {
  #domains = new Map<string, Domain>();
  #waiting = new Map<string, number>();

  /** Counts one DNS message; triggers for a long name and for the domain's rate. */
  add(m: DnsMessage, ts: number, t: IntelThresholds['dnsTunnel'], app?: EventApp): Trigger[] {
    if (m.qname === null) return [];
    const name = normName(m.qname);
    const txn = `${m.response ? m.dst : m.src}|${m.response ? m.dstPort : m.srcPort}|${m.id}|${name}`;
    if (m.response) { this.#waiting.delete(txn); return []; }
    const sent = this.#waiting.get(txn);
    if (sent !== undefined && ts - sent < DNS_TRANSACTION_MS) return []; // a resend
    this.#waiting.delete(txn);
    this.#waiting.set(txn, ts);
    if (this.#waiting.size > DNS_CAPS.MAX_TRANSACTIONS) this.#waiting.delete(this.#waiting.keys().next().value!);
    if (isMinimisationProbe(name)) return [];

    const parent = parentDomain(name);
    let d = this.#domains.get(parent);
    if (d) { this.#domains.delete(parent); this.#domains.set(parent, d); }
    else {
      if (this.#domains.size >= DNS_CAPS.MAX_DOMAINS) this.#domains.delete(this.#domains.keys().next().value!);
      d = { counts: new Uint32Array(60), secs: new Float64Array(60).fill(-1), subs: new Map(), names: [], src: m.src, dst: m.dst, longAt: -Infinity, rateAt: -Infinity };
      this.#domains.set(parent, d);
    }
    d.src = m.src; d.dst = m.dst;
    if (app) d.app = app;
    const sec = Math.floor(ts / 1000), i = sec % 60;
    if (d.secs[i] !== sec) { d.secs[i] = sec; d.counts[i] = 0; }
    d.counts[i]!++;
    if (name !== parent) {
      const h = hash(name);
      d.subs.delete(h);
      d.subs.set(h, ts);
      if (d.subs.size > DNS_CAPS.MAX_SUBS) d.subs.delete(d.subs.keys().next().value!);
    }
    if (!d.names.includes(name)) { d.names.push(name); if (d.names.length > DNS_CAPS.SAMPLES) d.names.shift(); }
    expireSubs(d, ts);

    const out: Trigger[] = [];
    const bytes = nameBytes(name);
    if (bytes > t.nameBytes && ts - d.longAt >= REFRESH_MS) { d.longAt = ts; out.push(longName(parent, name, bytes, d, t)); }
    if (d.subs.size > t.uniqueSubdomains && ts - d.rateAt >= REFRESH_MS) {
      const queries = queriesIn(d, sec);
      if (queries > t.queriesPerMin) { d.rateAt = ts; out.push(rate(parent, queries, d, t)); }
    }
    return out;
  }

  /** Forgets queries waiting longer than DNS_TRANSACTION_MS, names out of the window, and idle domains. */
  prune(now: number): void {
    for (const [k, ts] of this.#waiting) { if (now - ts < DNS_TRANSACTION_MS) break; this.#waiting.delete(k); }
    for (const [k, d] of this.#domains) {
      expireSubs(d, now);
      if (d.subs.size === 0 && queriesIn(d, Math.floor(now / 1000)) === 0) this.#domains.delete(k);
    }
  }

  sizes(): { domains: number; subdomains: number; waiting: number } {
    let subdomains = 0;
    for (const d of this.#domains.values()) subdomains += d.subs.size;
    return { domains: this.#domains.size, subdomains, waiting: this.#waiting.size };
  }
}

function expireSubs(d: Domain, now: number): void {
  for (const [h, ts] of d.subs) { if (now - ts < WINDOW_MS) break; d.subs.delete(h); }
}

function queriesIn(d: Domain, sec: number): number {
  let n = 0;
  for (let i = 0; i < 60; i++) if (d.secs[i]! > sec - 60) n += d.counts[i]!;
  return n;
}

const base = (d: Domain, parent: string): AlertEvidence => ({
  // systemd-resolved's lookups carry no addresses (resolved-monitor.ts): then none is named.
  ...(d.src ? { source: d.src } : {}), ...(d.dst ? { destination: d.dst } : {}), domain: parent, names: [...d.names], ...(d.app ? { app: d.app } : {}),
});

function longName(parent: string, name: string, bytes: number, d: Domain, t: IntelThresholds['dnsTunnel']): Trigger {
  const who = d.app?.name ?? (d.src || 'This machine (through systemd-resolved)');
  return {
    key: `dns-tunnel:long:${parent}`, category: 'dns-tunnel', severity: 'warning',
    title: `Unusually long DNS names under ${parent}`,
    detail: `${who} asked for a ${bytes}-byte name (threshold ${t.nameBytes}): ${name.slice(0, 120)}`,
    value: bytes, threshold: t.nameBytes,
    evidence: {
      ...base(d, parent), names: [name.slice(0, 253), ...d.names.filter((n) => n !== name)].slice(0, DNS_CAPS.SAMPLES),
      advice: `Names this long can carry data out of your network hidden in DNS. If you do not know ${parent}, find the program (${who}) that asks for them.`,
    },
  };
}

function rate(parent: string, queries: number, d: Domain, t: IntelThresholds['dnsTunnel']): Trigger {
  const who = d.app?.name ?? (d.src || 'This machine (through systemd-resolved)');
  const sat = d.subs.size >= DNS_CAPS.MAX_SUBS ? '≥ ' : '';
  return {
    key: `dns-tunnel:rate:${parent}`, category: 'dns-tunnel', severity: queries > 10 * t.queriesPerMin ? 'critical' : 'warning',
    title: `Many DNS queries for random names under ${parent}`,
    detail: `${who}: ${queries} queries in the last minute with ${sat}${d.subs.size} different names (thresholds ${t.queriesPerMin}/min, ${t.uniqueSubdomains} names)`,
    value: queries, threshold: t.queriesPerMin,
    evidence: {
      ...base(d, parent), uniqueSubdomains: d.subs.size, queriesPerMin: queries, count: queries, windowSec: WINDOW_MS / 1000,
      advice: `So many different names under one domain is how data is tunnelled through DNS. If you do not know ${parent}, find the program (${who}) and stop it.`,
    },
  };
}
