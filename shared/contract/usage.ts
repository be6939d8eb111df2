// Questions to the usage history and their answers (issue 15): the Usage view, `netwatch usage` and
// serve's /api/usage ask; the engine answers from its database. Bytes are payload bytes for apps
// (kernel socket counters) and interface bytes for interfaces, as in the live snapshot.
import * as z from 'zod/mini';

export const RESOLUTIONS = ['5m', '1h', '1d', '1mo'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
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
  /** series: the bucket size (at most ~2,100 buckets are returned). */
  resolution: z.optional(z.enum(RESOLUTIONS)),
  /** series: only these keys (an app's own series). */
  keys: z.optional(z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(50))),
});
export type UsageQuery = z.infer<typeof UsageQuerySchema>;

export interface UsageRow { key: string; name: string; exe: string | null; icon: string | null; rxBytes: number; txBytes: number }
export interface UsageTotals { kind: 'totals'; resolution: Resolution; rows: UsageRow[]; total: { rxBytes: number; txBytes: number } }
export interface UsageSeries {
  kind: 'series'; resolution: Resolution;
  /** Every bucket of the range, empty ones too; names of the keys in `names`. */
  buckets: Array<{ ts: number; values: Array<{ key: string; rxBytes: number; txBytes: number }> }>;
  names: Record<string, string>;
}
export type UsageAnswer = UsageTotals | UsageSeries | { kind: 'error'; error: string };
