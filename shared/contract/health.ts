import * as z from 'zod/mini';
import { AlertEvidenceSchema } from './intel.ts';
import { Count, Rate, SourceStatusSchema } from './common.ts';

export const ProbeSchema = z.object({
  /** Address probed. */
  target: z.string(),
  /**
   * How the last answered probe was timed: ICMP echo (ping); the round trip of a TCP handshake (where
   * ping is missing or ICMP is refused); a DNS query. Null before the first answer.
   */
  method: z.nullable(z.enum(['icmp', 'tcp-connect', 'dns-query'])),
  /** Why the method is not the usual one, e.g. "TCP handshake to port 53 (refused): no ICMP echo reply". */
  methodNote: z.nullable(z.string()),
  /** Round-trip time of the last probe in milliseconds; null when it failed. */
  rttMs: z.nullable(z.number().check(z.nonnegative())),
  /** Packet loss over the last HISTORY_LENGTH probes, percent 0–100; null before the first probe. */
  lossPct: z.nullable(z.number().check(z.gte(0), z.lte(100))),
  /** Last RTTs in ms, oldest first; null marks a failed probe (a gap in the chart). */
  history: z.array(z.nullable(z.number().check(z.nonnegative()))),
  /** Epoch ms of the last completed probe; null before the first. */
  lastProbeTs: z.nullable(z.number()),
  status: SourceStatusSchema,
});
export type Probe = z.infer<typeof ProbeSchema>;

export const HealthSchema = z.object({
  /** Default gateway: address and the interface routing to it; null when there is no default route. */
  gateway: z.nullable(z.object({ ip: z.string(), interface: z.nullable(z.string()) })),
  /**
   * DNS server in use. When resolv.conf names systemd-resolved's stub (127.0.0.53) this is the real
   * upstream from `resolvectl`, with `stub` true.
   */
  dns: z.nullable(z.object({ server: z.string(), source: z.string(), stub: z.boolean() })),
  gatewayProbe: z.nullable(ProbeSchema),
  dnsProbe: z.nullable(ProbeSchema),
});
export type Health = z.infer<typeof HealthSchema>;

export const SystemSchema = z.object({
  /** All-core CPU busy percent 0–100 over the last system poll. */
  cpuPct: z.number().check(z.gte(0), z.lte(100)),
  perCorePct: z.array(z.number().check(z.gte(0), z.lte(100))),
  /** Memory in bytes; `availableBytes` is what can be had without swapping. */
  memory: z.object({ totalBytes: Count, usedBytes: Count, availableBytes: Count }),
  swap: z.object({ totalBytes: Count, usedBytes: Count }),
  /** 1, 5 and 15 minute load averages. */
  load: z.tuple([Rate, Rate, Rate]),
});
export type System = z.infer<typeof SystemSchema>;

export const DiskSchema = z.object({
  /** Block device, e.g. `/dev/nvme0n1p2`. */
  device: z.string(),
  mount: z.string(),
  fsType: z.string(),
  totalBytes: Count,
  usedBytes: Count,
  /** Bytes read / written since boot, and their rates over the last disk poll (bytes/s); null if unknown. */
  readBytes: z.nullable(Count),
  writtenBytes: z.nullable(Count),
  readBps: z.nullable(Rate),
  writeBps: z.nullable(Rate),
});
export type Disk = z.infer<typeof DiskSchema>;

export const ALERT_CATEGORIES = ['bandwidth', 'quota', 'portscan', 'beaconing', 'dns-tunnel', 'new-app', 'network-change'] as const;
export const AlertSchema = z.object({
  /** Unique per raised alert. */
  id: z.string(),
  /** Same for repeats of one condition (e.g. `bandwidth:eth0:rx`), for rate limiting. */
  key: z.string(),
  category: z.enum(ALERT_CATEGORIES),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  detail: z.string(),
  /** Epoch ms when first raised and last triggered. */
  firstTs: z.number(),
  lastTs: z.number(),
  /** Active until 60 s after the last trigger. */
  active: z.boolean(),
  /** The value that triggered it and the threshold, in bytes/s for bandwidth. */
  value: Rate,
  threshold: Rate,
  /** Where, when the alert is about one interface (and one direction: rx received, tx sent). */
  interface: z.optional(z.string()),
  direction: z.optional(z.enum(['rx', 'tx'])),
  /** What the alert is based on (intel.ts), for a sentence a non-expert follows. */
  evidence: z.optional(AlertEvidenceSchema),
});
export type Alert = z.infer<typeof AlertSchema>;
