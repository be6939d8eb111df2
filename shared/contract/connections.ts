import * as z from 'zod/mini';
import { Count, Rate } from './common.ts';

/** Every TCP state the kernel reports, named as `ss` names them. */
export const TCP_STATES = [
  'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE',
  'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV',
] as const;
export const TcpStateSchema = z.enum(TCP_STATES);
export type TcpState = z.infer<typeof TcpStateSchema>;

export const TcpInternalsSchema = z.object({
  /** Congestion window in segments. */
  cwnd: z.nullable(Count),
  /** Slow-start threshold in segments; null while still infinite (initial slow start). */
  ssthresh: z.nullable(Count),
  /** Sender maximum segment size in bytes. */
  mssBytes: z.nullable(Count),
  /** Peer's advertised receive window in bytes (what we may send). */
  sndWndBytes: z.nullable(Count),
  /** Our advertised receive window in bytes (Linux ≥ 6.7; older kernels: null). */
  rcvWndBytes: z.nullable(Count),
  /** Segments retransmitted over the socket's life. */
  retransmits: z.nullable(Count),
  /** Congestion control algorithm: cubic, bbr, reno… */
  congestion: z.nullable(z.string()),
});
export type TcpInternals = z.infer<typeof TcpInternalsSchema>;

export const ConnectionSchema = z.object({
  protocol: z.enum(['tcp', 'udp']),
  /** `1.2.3.4:443` or `[::1]:443`. */
  local: z.string(),
  /** Same form; null for listening or unconnected sockets. */
  remote: z.nullable(z.string()),
  /** TCP state, or `UNCONN` / `ESTAB` for UDP. */
  state: z.union([TcpStateSchema, z.literal('UNCONN')]),
  /** Owning process; null when not visible to us (other user, kernel socket, vanished). */
  pid: z.nullable(z.int().check(z.positive())),
  process: z.nullable(z.string()),
  /** Kernel socket inode (0 once closed). */
  inode: Count,
  /** Kernel smoothed round-trip time in microseconds. */
  rttUs: z.nullable(z.number().check(z.nonnegative())),
  /** Payload bytes the peer acknowledged / we received over the socket's life (tcp_info). */
  bytesSent: z.nullable(Count),
  bytesReceived: z.nullable(Count),
  /** Payload rates over the last connection poll, bytes/s. */
  txBps: Rate,
  rxBps: Rate,
  /** TCP internals; null for UDP. */
  tcp: z.nullable(TcpInternalsSchema),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** Kernel-wide TCP counters from /proc/net/snmp (Linux) or `netstat -s` (macOS). */
export const TcpMetricsSchema = z.object({
  /** Cumulative counts since boot. */
  activeOpens: Count,
  passiveOpens: Count,
  attemptFails: Count,
  estabResets: Count,
  retransSegs: Count,
  outSegs: Count,
  inErrs: Count,
  outRsts: Count,
  /** Per-second rates of the above over the last poll. */
  activeOpensPerSec: Rate,
  passiveOpensPerSec: Rate,
  attemptFailsPerSec: Rate,
  estabResetsPerSec: Rate,
  retransSegsPerSec: Rate,
  /** Retransmitted segments as a percent (0–100) of segments sent over the last poll. */
  retransmitPct: z.number().check(z.gte(0), z.lte(100)),
  /** (attempt failures + resets) as a percent (0–100) of opens over the last poll. */
  errorPct: z.number().check(z.gte(0), z.lte(100)),
});
export type TcpMetrics = z.infer<typeof TcpMetricsSchema>;

export const TrafficSchema = z.object({
  /** Bytes since the engine started, and the rate over the last connection poll in bytes/s. */
  rxBytes: Count,
  txBytes: Count,
  rxBps: Rate,
  txBps: Rate,
});
export type Traffic = z.infer<typeof TrafficSchema>;

/**
 * Which application a process belongs to, as a person knows it. `id` is stable across runs and pids
 * (the executable path, plus the script or module for interpreters: `/usr/bin/node /srv/server.js`),
 * so history and new-application alerts key on it; never the pid.
 */
export const AppIdentitySchema = z.object({
  id: z.string(),
  /** Display name: the desktop entry's Name, the .app bundle, `node server.js`, `python3 -m http.server`. */
  name: z.string(),
  /** Executable path; null where the OS would not say (another user's process). */
  exe: z.nullable(z.string()),
  /** Icon name from the desktop entry (freedesktop icon theme), else null. */
  icon: z.nullable(z.string()),
  /** Command line (at most 300 characters). */
  command: z.string(),
  /** Part of NetWatch itself (its engine, its host, its helpers). */
  self: z.boolean(),
});
export type AppIdentity = z.infer<typeof AppIdentitySchema>;

/** A retransmit share at or above this (percent of segments sent) marks a connection as poor. */
export const QUALITY_POOR_RETRANSMIT_PCT = 2;
/** …once at least this many segments were sent (a few lost SYNs on a new socket are not a verdict). */
export const QUALITY_MIN_SEGMENTS = 100;
/** A p95 round trip at or above this (ms) marks it as slow. */
export const QUALITY_SLOW_RTT_MS = 400;

/**
 * How good a process's or app's connections are, from the kernel's per-socket TCP figures (tcp_info)
 * over its established TCP sockets to other hosts (loopback left out). Null where it has none.
 */
export const ConnectionQualitySchema = z.object({
  /** Established external TCP sockets with an RTT, the sample of the percentiles. */
  sockets: z.int().check(z.positive()),
  /** Median and 95th percentile (nearest rank) of the sockets' smoothed RTT, milliseconds. */
  rttP50Ms: z.number().check(z.nonnegative()),
  rttP95Ms: z.number().check(z.nonnegative()),
  /** Segments retransmitted / sent over those sockets' lives, percent 0–100; null where not reported. */
  retransmitPct: z.nullable(z.number().check(z.gte(0), z.lte(100))),
  /** Segments sent over those sockets' lives (the retransmit share's base). */
  segmentsSent: Count,
  /** Why the connection is poor ("5.1 % of segments retransmitted", "slow: p95 round trip 520 ms"); null when not. */
  poor: z.nullable(z.string()),
});
export type ConnectionQuality = z.infer<typeof ConnectionQualitySchema>;

/** Rates and bytes of one kind of peer (other hosts, or this machine over loopback). */
const SideSchema = z.object({ rxBytes: Count, txBytes: Count, rxBps: Rate, txBps: Rate });

export const ProcessUsageSchema = z.extend(TrafficSchema, {
  pid: z.int().check(z.positive()),
  name: z.string(),
  /** Display name of the application this process belongs to (browser helpers grouped under the browser). */
  app: z.string(),
  /** That application's AppIdentity.id. */
  appId: z.string(),
  /** This process's own command line (at most 300 characters). */
  command: z.string(),
  /** Part of NetWatch itself. */
  self: z.boolean(),
  /** Open sockets counted in `connections`. */
  connections: Count,
  /** True when the figures are the proportional estimate, not per-socket counters. */
  estimated: z.boolean(),
  /** The part of the traffic above exchanged over loopback (with this machine itself); the rest is external. */
  loopback: SideSchema,
  quality: z.nullable(ConnectionQualitySchema),
});
export type ProcessUsage = z.infer<typeof ProcessUsageSchema>;

export const AppUsageSchema = z.extend(TrafficSchema, {
  /** AppIdentity.id, the key; `app` is its display name. */
  id: z.string(),
  app: z.string(),
  exe: z.nullable(z.string()),
  icon: z.nullable(z.string()),
  self: z.boolean(),
  pids: z.array(z.int().check(z.positive())),
  connections: Count,
  estimated: z.boolean(),
  loopback: SideSchema,
  /** Over all the app's sockets together (not an average of its processes). */
  quality: z.nullable(ConnectionQualitySchema),
});
export type AppUsage = z.infer<typeof AppUsageSchema>;

/** Bytes the interfaces carried that no process is credited with. */
export const AttributionSchema = z.object({
  /** measured = per-socket kernel counters; estimated = interface bytes shared by connection count. */
  method: z.enum(['measured', 'estimated']),
  /** Unexplained traffic on physical interfaces and on loopback, kept apart. */
  unattributed: z.object({ external: TrafficSchema, loopback: TrafficSchema }),
  /**
   * Attributed / total bytes (0–1) over the last connection poll, for external and loopback traffic;
   * null when the interfaces carried nothing. Packet headers are never attributed, so even a fully
   * explained link stays below 1 (~4 % headers on full-size Ethernet frames).
   */
  coverage: z.object({ external: z.nullable(z.number().check(z.gte(0), z.lte(1))), loopback: z.nullable(z.number().check(z.gte(0), z.lte(1))) }),
  /**
   * Interface traffic over the same window as the processes' and apps' rates (the last connection poll,
   * `ms` long), in bytes/s: apps + unattributed = this, side by side (external: the interfaces that
   * count towards the total, loopback apart).
   */
  window: z.object({
    ms: z.number().check(z.nonnegative()),
    external: z.object({ rxBps: Rate, txBps: Rate }),
    loopback: z.object({ rxBps: Rate, txBps: Rate }),
  }),
  /** counted = kernel socket-destroy events are followed; otherwise short-lived flows land in unattributed. */
  shortLivedFlows: z.enum(['counted', 'unattributed']),
  /** Plain words for the UI, e.g. why short-lived flows are not counted. */
  note: z.string(),
  /**
   * The part of `unattributed` that sockets explain but no process does (another user's process seen by
   * an unprivileged engine, a flow closed before any poll saw its owner), by remote endpoint.
   */
  unknownProcess: z.array(z.extend(TrafficSchema, { remote: z.string() })),
  /**
   * UDP has no per-socket byte counters: credited = packet capture runs and UDP flows are credited to the
   * process owning the local socket; otherwise UDP stays in unattributed and `reason` says why.
   */
  udp: z.optional(z.object({ credited: z.boolean(), reason: z.nullable(z.string()) })),
});
export type Attribution = z.infer<typeof AttributionSchema>;
