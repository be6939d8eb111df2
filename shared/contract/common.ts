// Building blocks shared by every part of the snapshot contract.
// Units are in the field names where it helps (…Bps = bytes per second, …Ms = milliseconds,
// …Us = microseconds, …Pct = percent 0–100) and in each field's comment.
import * as z from 'zod/mini';

/** A count that only goes up (bytes, packets); never negative. */
export const Count = z.int().check(z.nonnegative());
/** A rate in units per second; never negative, never NaN. */
export const Rate = z.number().check(z.nonnegative());

/** Why a part of the snapshot is missing or partial. */
export const SourceStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok') }),
  /** The data cannot be had here (tool missing, permission, not this platform). */
  z.object({ state: z.literal('unavailable'), reason: z.string() }),
  /** The source failed unexpectedly (bad output, crash of the tool). */
  z.object({ state: z.literal('error'), message: z.string() }),
]);
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

export const ok = (): SourceStatus => ({ state: 'ok' });
export const unavailable = (reason: string): SourceStatus => ({ state: 'unavailable', reason });
export const failed = (message: string): SourceStatus => ({ state: 'error', message });

/** Names of the sources whose status every snapshot reports. */
export const SOURCE_NAMES = [
  'interfaces', 'wifi', 'connections', 'processes', 'destroyEvents', 'tcpMetrics',
  'gateway', 'dns', 'system', 'disks', 'history',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
/**
 * Sources a snapshot may lack (added after recordings were made; optional in the schema). An engine of
 * this version always reports them.
 */
export const OPTIONAL_SOURCE_NAMES = ['capture'] as const;
export type OptionalSourceName = (typeof OPTIONAL_SOURCE_NAMES)[number];

/** Samples kept in every rolling history (one per interface tick, oldest first). */
export const HISTORY_LENGTH = 60;

/** A validation failure in one line: `limit: Too big: expected number to be <=1000; sort: Invalid option`. */
export const issuesText = (e: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string =>
  e.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
