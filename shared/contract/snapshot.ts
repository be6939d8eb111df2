// The snapshot: everything the engine knows at one instant, as plain data (survives structuredClone).
import * as z from 'zod/mini';
import { QuotaStatusSchema } from './usage.ts';
import { OPTIONAL_SOURCE_NAMES, SOURCE_NAMES, SourceStatusSchema, Count } from './common.ts';
import { CaptureSectionSchema, ConnectSectionSchema } from './flows.ts';
import { InterfaceSchema, WifiSchema } from './interfaces.ts';
import {
  AppUsageSchema, AttributionSchema, ConnectionSchema, ProcessUsageSchema, TCP_STATES, TcpMetricsSchema,
} from './connections.ts';
import { AlertSchema, DiskSchema, HealthSchema, SystemSchema } from './health.ts';
import { DnsAnalyticsSchema } from './intel.ts';

/** Bump when a field changes meaning or is removed; adding an optional field does not need it. */
export const SNAPSHOT_VERSION = 3; // 2: processes and apps carry their identity (appId, command, self; id, exe, icon). 3: their loopback part and connection quality, the attribution window, the probe method

const sourceShape = Object.fromEntries(SOURCE_NAMES.map((n) => [n, SourceStatusSchema])) as {
  [K in (typeof SOURCE_NAMES)[number]]: typeof SourceStatusSchema;
};
const optionalSourceShape = Object.fromEntries(OPTIONAL_SOURCE_NAMES.map((n) => [n, z.optional(SourceStatusSchema)])) as {
  [K in (typeof OPTIONAL_SOURCE_NAMES)[number]]: z.ZodMiniOptional<typeof SourceStatusSchema>;
};
const stateShape = Object.fromEntries(TCP_STATES.map((s) => [s, Count])) as {
  [K in (typeof TCP_STATES)[number]]: typeof Count;
};

export const SnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  /** Epoch ms when the snapshot was assembled. */
  ts: z.number(),
  /** Increases by one per snapshot of one engine run. */
  seq: Count,
  /**
   * Interface tick in ms (the cadence of snapshots), within the engine's own bounds (config.ts): a
   * replay paces itself by it, and 1e-6 replayed ~690 snapshots/s while 1e10 overflowed setTimeout.
   */
  intervalMs: z.int().check(z.gte(250), z.lte(60_000)),
  platform: z.enum(['linux', 'darwin']),
  hostname: z.string(),
  /** Per-source status: why anything below may be empty. */
  sources: z.object({ ...sourceShape, ...optionalSourceShape }),
  interfaces: z.array(InterfaceSchema),
  wifi: z.array(WifiSchema),
  health: HealthSchema,
  /** Sockets per TCP state (all states, zeros included). */
  tcpStates: z.object(stateShape),
  tcpMetrics: z.nullable(TcpMetricsSchema),
  /** Sockets of the poll at `connectionsTs`; empty when `connectionsOmitted`. */
  connections: z.array(ConnectionSchema),
  /**
   * True when this snapshot carries no socket list. Views never get it here: they ask for the page they
   * show (`query-connections`). Hosts that keep every socket (the CLI, recordings) get it once per
   * connection poll; snapshots in between omit it (same `connectionsTs`: keep the last one).
   */
  connectionsOmitted: z.boolean(),
  /** Total sockets seen in the last poll, whether listed or omitted. */
  totalSockets: Count,
  /** Epoch ms of the connection poll the fields above come from; null before the first. */
  connectionsTs: z.nullable(z.number()),
  processes: z.array(ProcessUsageSchema),
  apps: z.array(AppUsageSchema),
  attribution: AttributionSchema,
  system: z.nullable(SystemSchema),
  disks: z.array(DiskSchema),
  alerts: z.object({ active: z.array(AlertSchema), history: z.array(AlertSchema) }),
  /** Data plans (settings' quotas) and how much of each is used. */
  quotas: z.array(QuotaStatusSchema),
  /** Packet capture's figures (flows.ts); null when the capture is unavailable (sources.capture says why). */
  capture: z.optional(z.nullable(CaptureSectionSchema)),
  /** TCP connection attempts, total and per app, each labelled with its method. */
  connects: z.optional(ConnectSectionSchema),
  /** DNS analytics (intel.ts); null while no DNS source is available (sources.capture says why). */
  dns: z.optional(z.nullable(DnsAnalyticsSchema)),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
