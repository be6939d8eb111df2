// Packet-level figures (issue 13): what the capture helper (native/nw-capture) saw, and what the engine
// worked out from it: UDP credit, per-remote-host and per-service bytes, connection attempts, DNS
// message counts. Bytes are transport payload (TCP/UDP data, the same unit as the socket counters)
// unless a field says IP bytes; rates are bytes/s over the last connection poll; counts are since the
// engine started. Everything here is optional in a snapshot: recordings made before it still validate.
import * as z from 'zod/mini';
import { Count, Rate } from './common.ts';
import { TrafficSchema } from './connections.ts';

/** Remote hosts kept per app and in total; least recently active ones are folded into `otherHosts`. */
export const MAX_HOSTS = 512;
/** Hosts listed per app in a snapshot (the most active first). */
export const HOSTS_PER_APP = 20;

/** Traffic with one remote address. rx = received by this host, tx = sent by it. */
export const HostUsageSchema = z.extend(TrafficSchema, {
  /** The remote IP address (IPv4-mapped IPv6 shown as IPv4). */
  address: z.string(),
  /** Names a DNS response seen by the capture answered with this address (latest first, at most 4). */
  names: z.array(z.string()),
  /** Epoch ms of the last byte. */
  lastActive: z.number(),
});
export type HostUsage = z.infer<typeof HostUsageSchema>;

export const AppHostsSchema = z.object({
  /** AppUsage.id (the app identity of the process owning the local socket). */
  appId: z.string(),
  app: z.string(),
  hosts: z.array(HostUsageSchema),
});
export type AppHosts = z.infer<typeof AppHostsSchema>;

/** One port of a port set (Settings: accountPorts, or a named set in the engine config). */
export const ServicePortSchema = z.object({ port: z.int().check(z.gte(1), z.lte(65535)), protocol: z.enum(['tcp', 'udp']) });
export type ServicePort = z.infer<typeof ServicePortSchema>;
export const PortSetSchema = z.object({ name: z.string().check(z.maxLength(64)), ports: z.array(ServicePortSchema).check(z.maxLength(256)) });
export type PortSet = z.infer<typeof PortSetSchema>;

/**
 * Bytes of one service port with one peer. `role`: server = the port is on this host (the peer is a
 * client), client = the port is the remote side's. rx = received by this host, tx = sent by it: for a
 * server, rx is what clients uploaded to it, tx what it served.
 */
export const ServiceUsageSchema = z.extend(TrafficSchema, {
  set: z.string(), port: z.int().check(z.gte(1), z.lte(65535)), protocol: z.enum(['tcp', 'udp']),
  role: z.enum(['server', 'client']),
  /** The other side's address. */
  peer: z.string(),
});
export type ServiceUsage = z.infer<typeof ServiceUsageSchema>;

/**
 * TCP connection attempts and outcomes. method: handshakes = SYN/SYN-ACK/RST seen by the capture (connect
 * time measured); socket-events = without the capture, outgoing sockets born in the polls and ended in
 * the kernel's socket-destroy events (unprivileged; outcomes counted once a socket ends or is seen
 * established, refused = a RST came back, timed out = nothing did; no connect time; per app where a poll
 * saw the socket); kernel-counters = /proc/net/snmp ActiveOpens/AttemptFails (no connect time, no
 * refused/timed-out split, no per-app figures).
 */
export const ConnectMetricsSchema = z.object({
  method: z.enum(['handshakes', 'socket-events', 'kernel-counters']),
  attempts: Count,
  successes: Count,
  /** Answered by RST (nothing listening, or a firewall rejecting). */
  refused: z.nullable(Count),
  /**
   * handshakes: SYN unanswered for the helper's timeout (5 s, which covers the 1 s and 3 s
   * retransmissions); socket-events: the socket ended with nothing received (timed out or given up).
   */
  timedOut: z.nullable(Count),
  failures: Count,
  /** failures / outcomes known, percent 0–100; null before any outcome. */
  errorPct: z.nullable(z.number().check(z.gte(0), z.lte(100))),
  /** SYN → SYN-ACK, ms, over the last 1,000 successes; null when not measured. */
  avgConnectMs: z.nullable(Rate),
  p95ConnectMs: z.nullable(Rate),
});
export type ConnectMetrics = z.infer<typeof ConnectMetricsSchema>;

export const DnsCountsSchema = z.object({
  /** capture = messages decoded from packets (UDP/TCP 53, mDNS 5353). */
  method: z.enum(['capture']),
  queries: Count, responses: Count, nxdomain: Count,
  /** Responses with another error rcode (SERVFAIL, REFUSED, …). */
  otherErrors: Count,
  malformed: Count,
});
export type DnsCounts = z.infer<typeof DnsCountsSchema>;

export const CaptureSectionSchema = z.object({
  /** What the helper captures on (`any` = every interface). */
  interface: z.string(),
  /** Packets and IP bytes the helper decoded; kernel and interface drops (pcap_stats). */
  packets: Count, ipBytes: Count, kernelDrops: Count, interfaceDrops: Count,
  /** Handshake and DNS events the helper could not buffer, and flows evicted from its full table. */
  eventsLost: Count, evictedFlows: Count,
  /** The helper's peak resident memory, KiB (getrusage). */
  helperMaxRssKb: Count,
  /** UDP payload bytes credited to a process, and those whose local socket no poll saw (unattributed). */
  udp: z.object({ creditedBytes: Count, unattributedBytes: Count }),
  /**
   * TCP: payload the capture saw on flows matched to a listed socket, against the socket counters'
   * bytes over the same polls (the counters are what is credited; this is the cross-check).
   */
  tcpCrossCheck: z.object({ socketBytes: Count, captureBytes: Count, flows: Count }),
  hosts: z.array(HostUsageSchema),
  /** Bytes of hosts folded away once MAX_HOSTS was reached. */
  otherHosts: TrafficSchema,
  appHosts: z.array(AppHostsSchema),
  services: z.array(ServiceUsageSchema),
  /** Bytes of service rows (port, peer) folded away once 1,024 rows were kept. */
  otherServices: TrafficSchema,
  dns: DnsCountsSchema,
});
export type CaptureSection = z.infer<typeof CaptureSectionSchema>;

export const ConnectSectionSchema = z.object({
  total: ConnectMetricsSchema,
  /** Per app (handshakes only: kernel counters are not per process). */
  apps: z.array(z.extend(ConnectMetricsSchema, { appId: z.string(), app: z.string() })),
});
export type ConnectSection = z.infer<typeof ConnectSectionSchema>;
