// What the engine needs from a platform. Each method reads (runs a tool / reads a file) and hands the
// text to a pure parser; failures come back as values the engine turns into per-source status.
import type { AppIdentity, InterfaceCounters, InterfaceType, SourceStatus, Wifi } from '../../shared/index.ts';
import type { SocketSample } from './sockets.ts';
import type { CaptureResult } from './capture-client.ts';
import type { ResolvedLookup } from './linux/resolved-monitor.ts';

/** Kernel-wide TCP counters (RFC 4022 names), cumulative since boot. */
export interface TcpCounters {
  activeOpens: number; passiveOpens: number; attemptFails: number; estabResets: number;
  retransSegs: number; outSegs: number; inErrs: number; outRsts: number;
}

/** CPU time in clock ticks: busy and total, so two samples give a busy percent. */
export interface CpuTimes { busy: number; total: number }

/** One probe run: RTT of the answers (ms) and how many of the packets sent came back. */
export interface PingResult { rttMs: number | null; transmitted: number; received: number }

export type Result<T> = { ok: true; value: T } | { ok: false; status: SourceStatus };
export const good = <T>(value: T): Result<T> => ({ ok: true, value });
export const bad = <T>(status: SourceStatus): Result<T> => ({ ok: false, status });

export interface InterfaceMeta {
  /** The kernel's interface index (Linux /sys/class/net/X/ifindex): a recreated interface gets a new one. */
  ifindex: number | null;
  type: InterfaceType;
  virtualKind: string | null;
  mac: string | null;
  mtu: number | null;
  speedMbps: number | null;
  operstate: string;
  up: boolean;
  ipv4: string[];
  ipv6: string[];
}

export interface InterfaceReading {
  counters: Map<string, InterfaceCounters>;
  meta: Map<string, InterfaceMeta>;
  /** Width of the counters: 32 only where they can wrap (a 32-bit Linux kernel's unsigned long). */
  counterBits: 32 | 64;
  /** Set when part of the metadata is missing (e.g. no `ip`: virtual kinds unknown); counters are fine. */
  partial?: string;
}

export interface SocketReading {
  sockets: SocketSample[];
  /** Status of the pid join (e.g. some processes unreadable). */
  processes: SourceStatus;
  /** Which mechanism produced the list, for the bench and the README. */
  via: string;
}

export interface ProcessLookup {
  name(pid: number): string | null;
  /** The application the process belongs to (app-identity.ts); null once it has exited. */
  app(pid: number): AppIdentity | null;
  /** The process's own command line; null when unknown. */
  command(pid: number): string | null;
}

export interface SystemReading {
  cpu: { all: CpuTimes; cores: CpuTimes[] };
  memory: { totalBytes: number; usedBytes: number; availableBytes: number };
  swap: { totalBytes: number; usedBytes: number };
  load: [number, number, number];
}

/** A mounted file system, as each platform's mount table names it. */
export interface Mount { device: string; mount: string; fsType: string }

export interface DiskReading {
  device: string; mount: string; fsType: string; totalBytes: number; usedBytes: number;
  readBytes: number | null; writtenBytes: number | null;
}

export interface DestroyFeed {
  stop(): void;
}

/** Packet capture (native/nw-capture, capture-client.ts): one report per call, covering the time since the last. */
export interface CaptureFeed {
  /** Starts the helper if needed: null once it captures, else why not ("unavailable: needs CAP_NET_RAW — …"). */
  start(): Promise<string | null>;
  report(): Promise<CaptureResult>;
  stop(): void;
}

export interface Sources {
  readonly platform: 'linux' | 'darwin';
  interfaces(): Promise<Result<InterfaceReading>>;
  sockets(): Promise<Result<SocketReading>>;
  processes: ProcessLookup;
  /** Cumulative external bytes per process, where the OS counts per process rather than per socket (macOS). */
  processTraffic?(): Promise<Result<Map<number, { name: string; rx: number; tx: number }>>>;
  tcpCounters(): Promise<Result<TcpCounters>>;
  wifi(wireless: string[]): Promise<Result<Wifi[]>>;
  gateway(): Promise<Result<{ ip: string; interface: string | null } | null>>;
  /** The DNS server in use (`server`) and every server configured, in order (`servers`). */
  dns(): Promise<Result<{ server: string; source: string; stub: boolean; servers: string[] } | null>>;
  /** The hardware address answering for the gateway (the neighbour table); null while none is known. */
  gatewayMac?(ip: string): Promise<Result<string | null>>;
  /** Text that changes whenever the routing table or the resolver configuration changes, read every interface tick. */
  routeFingerprint(): string;
  ping(ip: string): Promise<Result<PingResult>>;
  system(): Promise<Result<SystemReading>>;
  disks(): Promise<Result<DiskReading[]>>;
  /**
   * Follows kernel socket-destroy events. `onSocket` gets each closed socket's final counters;
   * `onStatus` reports ok once listening, or unavailable (no privilege, tool missing).
   */
  destroyEvents(onSocket: (s: SocketSample) => void, onStatus: (s: SourceStatus) => void): DestroyFeed;
  /**
   * Packet capture: a feed where the helper is built, otherwise the reason it is not (a platform without
   * it leaves the field out). The engine starts it only when its config allows.
   */
  capture?: CaptureFeed | { unavailable: string };
  /**
   * DNS lookups another way than the capture (Linux: systemd-resolved's monitor, resolved-monitor.ts);
   * `onStatus` says ok once it streams, or why not. Absent where there is none.
   */
  dnsMonitor?(onLookup: (l: ResolvedLookup) => void, onStatus: (s: SourceStatus) => void): { stop(): void };
  /** Ends helper processes the sources keep running. */
  stop(): void;
}
