// Questions to the usage history and their answers (issue 15): the Usage view, `netwatch usage` and
// serve's /api/usage ask; the engine answers from its database. Bytes are payload bytes for apps
// (kernel socket counters) and interface bytes for interfaces, as in the live snapshot.
import * as z from 'zod/mini';

export const RESOLUTIONS = ['5m', '1h', '1d', '1mo'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
/**
 * Series may also ask for 10-second interface buckets: kept for the last hour only (FINE_KEEP_MS), for
 * the interface view's 5 and 15 minute charts after a reload or restart. Only with by: 'interface'.
 */
export const FINE_RESOLUTION = '10s';
export const FINE_MS = 10_000;
export const FINE_KEEP_MS = 3_600_000;
export const SERIES_RESOLUTIONS = [FINE_RESOLUTION, ...RESOLUTIONS] as const;
export type SeriesResolution = (typeof SERIES_RESOLUTIONS)[number];
export const USAGE_DIMENSIONS = ['app', 'interface', 'host', 'service'] as const;
export type UsageBy = (typeof USAGE_DIMENSIONS)[number];

/** Ten years of ms either side of 1970 is more than any range a person asks for. */
const Epoch = z.number().check(z.gte(0), z.lte(4_102_444_800_000));

export const UsageQuerySchema = z.object({
  /** totals: one row per app (interface, host, service) over [from, to); series: the same per bucket. */
  kind: z.enum(['totals', 'series']),
  from: Epoch,
  to: Epoch,
  by: z.enum(USAGE_DIMENSIONS),
  /** Apps' loopback part counts only when asked, as in the live total. */
  includeLoopback: z.optional(z.boolean()),
  /** totals: top N by rx + tx, the rest in one row with key ''. */
  limit: z.optional(z.int().check(z.gte(1), z.lte(1000))),
  /** series: the bucket size (at most ~2,100 buckets are returned); '10s' for interfaces only, the last hour. */
  resolution: z.optional(z.enum(SERIES_RESOLUTIONS)),
  /** series: only these keys (an app's own series). */
  keys: z.optional(z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(50))),
});
export type UsageQuery = z.infer<typeof UsageQuerySchema>;

/**
 * How long the history keeps each resolution, in days (null: forever), and the allowed ranges. vnStat's
 * spirit: fine rows briefly, coarse ones long. Defaults: 5-minute rows a week, hourly 90 days, daily
 * five years, monthly forever. A coarser table holds what a finer one dropped, so shortening a finer
 * one loses detail, not totals.
 */
export const HISTORY_RETENTION_RANGES = {
  '5m': { min: 1, max: 31 }, '1h': { min: 7, max: 732 }, '1d': { min: 31, max: 3660 }, '1mo': { min: 366, max: 36_600 },
} as const;
const days = (r: { min: number; max: number }) => z.int().check(z.gte(r.min), z.lte(r.max));
export const HistoryRetentionSchema = z.object({
  '5m': days(HISTORY_RETENTION_RANGES['5m']),
  '1h': days(HISTORY_RETENTION_RANGES['1h']),
  '1d': days(HISTORY_RETENTION_RANGES['1d']),
  '1mo': z.nullable(days(HISTORY_RETENTION_RANGES['1mo'])),
});
export type HistoryRetention = z.infer<typeof HistoryRetentionSchema>;
export const defaultHistoryRetention = (): HistoryRetention => ({ '5m': 7, '1h': 90, '1d': 1830, '1mo': null });

/**
 * A data plan on one interface: `limitBytes` (received + sent, as providers count) per period from the
 * `resetDay` of each month (1–28, so every month has it) at local midnight.
 */
export const QuotaSchema = z.object({
  interface: z.string().check(z.minLength(1), z.maxLength(64)),
  limitBytes: z.number().check(z.positive(), z.lte(1e18)),
  resetDay: z.int().check(z.gte(1), z.lte(28)),
});
export type Quota = z.infer<typeof QuotaSchema>;

export const QuotaStatusSchema = z.extend(QuotaSchema, {
  /** Bytes used in the current period (interface counters, both directions). */
  usedBytes: z.number().check(z.nonnegative()),
  /** Epoch ms: this period's start (the reset) and the next reset. */
  periodStart: z.number(),
  periodEnd: z.number(),
  /** usedBytes / limitBytes as a percent (may pass 100). */
  pct: z.number().check(z.nonnegative()),
  /** null when counted; else why the figure is missing (no history kept, database unavailable). */
  unavailable: z.nullable(z.string()),
});
export type QuotaStatus = z.infer<typeof QuotaStatusSchema>;

/** The period of a plan holding `now`: from the last `resetDay` (local midnight) to the next. */
export function quotaPeriod(resetDay: number, now: number): { start: number; end: number } {
  const d = new Date(now);
  const start = new Date(d.getFullYear(), d.getMonth() - (d.getDate() < resetDay ? 1 : 0), resetDay);
  const end = new Date(start.getFullYear(), start.getMonth() + 1, resetDay);
  return { start: start.getTime(), end: end.getTime() };
}

/** `icon`: the desktop entry's icon name; `iconUrl`: its image as a data: URL in the engine's answers (null: none found, or `netwatch usage`). */
export interface UsageRow { key: string; name: string; exe: string | null; icon: string | null; iconUrl: string | null; rxBytes: number; txBytes: number }
export interface UsageTotals { kind: 'totals'; resolution: Resolution; rows: UsageRow[]; total: { rxBytes: number; txBytes: number } }
export interface UsageSeries {
  kind: 'series'; resolution: SeriesResolution;
  /**
   * Every bucket of the range, empty ones too; names of the keys in `names`. At '10s' a bucket with no
   * value for an interface is time the engine did not run (an idle interface has a 0 row).
   */
  buckets: Array<{ ts: number; values: Array<{ key: string; rxBytes: number; txBytes: number }> }>;
  names: Record<string, string>;
}
export type UsageAnswer = UsageTotals | UsageSeries | { kind: 'error'; error: string };
