// Network intelligence (issue 14): the detectors' thresholds and allow-lists, the evidence an alert
// carries, and the DNS analytics. Thresholds' defaults are the seed's (network_intel collector);
// durations in seconds where a user types them, counts as counts, lengths in bytes of the query name.
import * as z from 'zod/mini';
import { Count, Rate } from './common.ts';

/** Detectors that can be switched on and off, by the alert category each raises. */
export const DETECTOR_NAMES = ['bandwidth', 'portscan', 'beaconing', 'dns-tunnel', 'new-app', 'network-change'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

/** On/off per detector. */
export const DetectorSwitchesSchema = z.object(
  Object.fromEntries(DETECTOR_NAMES.map((n) => [n, z.boolean()])) as { [K in DetectorName]: z.ZodMiniBoolean<boolean> },
);
export type DetectorSwitches = z.infer<typeof DetectorSwitchesSchema>;
export const defaultDetectorSwitches = (): DetectorSwitches =>
  Object.fromEntries(DETECTOR_NAMES.map((n) => [n, true])) as DetectorSwitches;

/** An allow-list entry: never alert on traffic of this app (AppUsage.id), host (address) or domain (and its subdomains). */
export const AllowEntrySchema = z.object({
  kind: z.enum(['app', 'host', 'domain']),
  value: z.string().check(z.minLength(1), z.maxLength(253)),
});
export type AllowEntry = z.infer<typeof AllowEntrySchema>;
export const MAX_ALLOW_ENTRIES = 200;

/** Allowed ranges of the thresholds (the schema checks them, the Settings view says them); jitter's min is exclusive. */
export const INTEL_RANGES = {
  portScan: { ports: { min: 3, max: 65535 }, windowSec: { min: 5, max: 3600 } },
  beaconing: { attempts: { min: 3, max: 1000 }, jitterPct: { min: 0, max: 100 } },
  dnsTunnel: { nameBytes: { min: 20, max: 253 }, queriesPerMin: { min: 1, max: 100_000 }, uniqueSubdomains: { min: 1, max: 100_000 } },
} as const;
const IR = INTEL_RANGES;

export const IntelThresholdsSchema = z.object({
  portScan: z.object({
    /** Distinct destination ports from one source (failed or unanswered attempts) … */
    ports: int(IR.portScan.ports.min, IR.portScan.ports.max),
    /** … within this many seconds. */
    windowSec: int(IR.portScan.windowSec.min, IR.portScan.windowSec.max),
  }),
  beaconing: z.object({
    /** Connection attempts to one (source, destination, port) … */
    attempts: int(IR.beaconing.attempts.min, IR.beaconing.attempts.max),
    /** … whose inter-arrival times deviate less than this (median absolute deviation / median, %). */
    jitterPct: z.number().check(z.gt(IR.beaconing.jitterPct.min), z.lte(IR.beaconing.jitterPct.max)),
  }),
  dnsTunnel: z.object({
    /** A query name longer than this many bytes (presentation form, without the final dot). */
    nameBytes: int(IR.dnsTunnel.nameBytes.min, IR.dnsTunnel.nameBytes.max),
    /** Or more than this many queries a minute to one parent domain … */
    queriesPerMin: int(IR.dnsTunnel.queriesPerMin.min, IR.dnsTunnel.queriesPerMin.max),
    /** … with more than this many distinct subdomains among them. */
    uniqueSubdomains: int(IR.dnsTunnel.uniqueSubdomains.min, IR.dnsTunnel.uniqueSubdomains.max),
  }),
  /** The user's allow-list (the documented built-in one applies as well). */
  allow: z.array(AllowEntrySchema).check(z.maxLength(MAX_ALLOW_ENTRIES)),
});
export type IntelThresholds = z.infer<typeof IntelThresholdsSchema>;

export const defaultIntelThresholds = (): IntelThresholds => ({
  portScan: { ports: 20, windowSec: 30 },
  beaconing: { attempts: 5, jitterPct: 15 },
  dnsTunnel: { nameBytes: 80, queriesPerMin: 50, uniqueSubdomains: 30 },
  allow: [],
});

/**
 * What an alert is based on, for the sentence the Alerts view and the notification show. Every field is
 * optional: each detector fills what it knows. Addresses as the capture printed them.
 */
export const AlertEvidenceSchema = z.object({
  /** The host that did it (scanner, beaconing or querying host) and the one it did it to. */
  source: z.optional(z.string()),
  destination: z.optional(z.string()),
  /** inbound = towards this machine, outbound = from it. */
  direction: z.optional(z.enum(['inbound', 'outbound'])),
  /** Ports seen: a sample (ascending, at most 20) and how many distinct. */
  ports: z.optional(z.object({ sample: z.array(int(0, 65535)).check(z.maxLength(20)), count: Count })),
  /** Beaconing: the last inter-arrival times (ms, at most 20), the period found (median, ms), the jitter (MAD / median, %). */
  intervalsMs: z.optional(z.array(Rate).check(z.maxLength(20))),
  periodMs: z.optional(Rate),
  jitterPct: z.optional(Rate),
  /** DNS tunnel: the parent domain (Public Suffix List), sample names (at most 5), distinct subdomains and queries in the last minute. */
  domain: z.optional(z.string()),
  names: z.optional(z.array(z.string()).check(z.maxLength(5))),
  uniqueSubdomains: z.optional(Count),
  queriesPerMin: z.optional(Count),
  /** The app involved, when the socket's owner is known (AppUsage.id and name). */
  app: z.optional(z.object({ id: z.string(), name: z.string() })),
  /** Network change: what it was and what it is now (a DNS server list, a MAC address). */
  before: z.optional(z.string()),
  after: z.optional(z.string()),
  /** Attempts, queries or bytes counted, and over how many seconds. */
  count: z.optional(Count),
  windowSec: z.optional(Rate),
  /** What to do, in a sentence a non-expert follows. */
  advice: z.optional(z.string()),
});
export type AlertEvidence = z.infer<typeof AlertEvidenceSchema>;

/** Upper bounds of the DNS latency buckets, ms (the last bucket is ≥ 500 ms). */
export const DNS_LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500] as const;
export const DNS_TOP_DOMAINS = 20;

export const DnsDomainCountSchema = z.object({
  /** Registrable domain (Public Suffix List), e.g. example.co.uk. */
  domain: z.string(),
  queries: Count,
  nxdomain: Count,
});

const DnsFiguresShape = {
  queries: Count,
  responses: Count,
  nxdomain: Count,
  /** Responses per latency bucket (query → response of the same id and name); length = buckets + 1. */
  latencyBuckets: z.array(Count),
  /** Sum of the matched responses' latencies, ms (for a mean; the Prometheus histogram's _sum). */
  latencySumMs: Rate,
  /** Queries with no response within 5 s. */
  unanswered: Count,
  /** Most queried domains, at most DNS_TOP_DOMAINS. */
  topDomains: z.array(DnsDomainCountSchema),
};

/**
 * DNS analytics since the engine started. method: capture = decoded from packets; resolved = systemd-
 * resolved's monitor (no per-packet latency); null figures below when no source is available.
 */
export const DnsAnalyticsSchema = z.object({
  method: z.enum(['capture', 'resolved']),
  ...DnsFiguresShape,
  /** Per app where the querying socket's owner is known. */
  apps: z.array(z.object({ appId: z.string(), app: z.string(), ...DnsFiguresShape })),
});
export type DnsAnalytics = z.infer<typeof DnsAnalyticsSchema>;
