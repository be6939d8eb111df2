// Time buckets of the usage history: 5-minute, hourly, daily and monthly, on the local clock's real
// boundaries (:00, :05, …; midnight; the 1st), as vnStat and a person count "today" and "this month".
// Pure functions of epoch ms; the local time zone is the process's (TZ), so tests can fix it.

const FIVE_MIN = 300_000;

import { RESOLUTIONS, type HistoryRetention, type Resolution } from '../../../shared/index.ts';

export { RESOLUTIONS, type Resolution };


/** Start (epoch ms) of the bucket of `res` that holds `ts`. */
export function bucketStart(ts: number, res: Resolution): number {
  if (res === '5m' || res === '1h') {
    // Through the offset at that instant rather than the local setters: in the hour a clock falls back
    // (02:00–03:00 twice), setMinutes resolves to the first 02:xx and would move a bucket an hour back.
    // The offset also keeps :30 and :45 zones on their own quarter hours.
    const step = res === '5m' ? FIVE_MIN : 3_600_000;
    const off = -new Date(ts).getTimezoneOffset() * 60_000;
    return ts - (((ts + off) % step) + step) % step;
  }
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  if (res === '1mo') d.setDate(1);
  return d.getTime();
}

/** Start of the bucket after the one holding `ts` (a local day may be 23 or 25 hours long). */
export function nextBucket(ts: number, res: Resolution): number {
  const start = bucketStart(ts, res);
  if (res === '5m') return start + FIVE_MIN;
  if (res === '1h') return bucketStart(start + 3_600_000 + 60_000, '1h'); // an offset change moves the hour
  const d = new Date(start);
  if (res === '1d') d.setDate(d.getDate() + 1);
  else d.setMonth(d.getMonth() + 1);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * Shares of bytes moved over the window (from, to] in each 5-minute bucket it touches, in proportion
 * to the time spent in each. A window longer than `maxWindowMs` (a suspend, a clock jumping forward) or
 * going backwards (the clock set back) is not spread over time it did not measure: all of it goes to the
 * bucket of `to`. Shares sum to exactly `bytes`, all non-negative integers.
 */
export function splitWindow(from: number, to: number, bytes: number, maxWindowMs: number, stepMs?: number): Array<{ ts: number; bytes: number }> {
  // 5-minute buckets on the local clock, or `stepMs` ones on the epoch (10 s: the same in every zone).
  const start = stepMs ? (t: number) => t - (((t % stepMs) + stepMs) % stepMs) : (t: number) => bucketStart(t, '5m');
  const next = stepMs ? (t: number) => start(t) + stepMs : (t: number) => nextBucket(t, '5m');
  // The window is [from, to): a poll at exactly 12:10:00 closes the 12:05 bucket.
  if (!(to > from) || to - from > maxWindowMs || start(from) === start(to - 1)) {
    return [{ ts: start(to > from ? to - 1 : to), bytes }];
  }
  const out: Array<{ ts: number; bytes: number }> = [];
  let given = 0;
  for (let t = from; t < to;) {
    const end = Math.min(to, next(t));
    const share = end === to ? bytes - given : Math.round((bytes * (end - t)) / (to - from));
    out.push({ ts: start(t), bytes: share });
    given += share;
    t = end;
  }
  return out;
}

/** How long rows of each resolution are kept, ms; null = forever. vnStat's defaults are in this spirit. */
export interface Retention { '5m': number | null; '1h': number | null; '1d': number | null; '1mo': number | null }
const DAY = 86_400_000;
export const DEFAULT_RETENTION: Retention = { '5m': 7 * DAY, '1h': 90 * DAY, '1d': 5 * 366 * DAY, '1mo': null };

/** The setting (days; shared/contract/usage.ts) as ms. */
export const retentionMs = (r: HistoryRetention): Retention =>
  ({ '5m': r['5m'] * DAY, '1h': r['1h'] * DAY, '1d': r['1d'] * DAY, '1mo': r['1mo'] === null ? null : r['1mo'] * DAY });
