// Rate series for charts: the total over the counted interfaces (shared/totals.ts), a longer per-interface
// history than the snapshot's 60 samples, kept while the page is open and filled before that from the
// usage history's 10-second buckets (for the 5 and 15 minute windows after a reload or a restart), and
// the chart's y-scale: a "nice" maximum in the user's units that holds still between samples.
import { FINE_MS, countedInterfaces, type Settings, type Snapshot, type UsageSeries } from '../../../shared/index.ts';

/** Samples with their epoch-ms times, oldest first; null where the engine could take no sample. */
export interface Series { ts: number[]; rx: Array<number | null>; tx: Array<number | null> }

/** When each of a snapshot history's `n` samples was taken: the newest at `s.ts`, one interval apart. */
export const historyTimes = (s: Pick<Snapshot, 'ts' | 'intervalMs'>, n: number): number[] =>
  Array.from({ length: n }, (_, k) => s.ts - (n - 1 - k) * s.intervalMs);

/** Sum of the counted interfaces' histories, aligned at the newest sample; null where any was null. */
export function totalHistory(s: Snapshot, only: readonly string[] = []): Series {
  const ifs = countedInterfaces(s.interfaces, only);
  const len = Math.max(0, ...ifs.map((i) => i.history.rxBps.length));
  const sum = (key: 'rxBps' | 'txBps') => Array.from({ length: len }, (_, k) => {
    let total = 0;
    for (const i of ifs) {
      const h = i.history[key];
      const v = h[h.length - len + k];
      if (v === null) return null;
      total += v ?? 0;
    }
    return total;
  });
  return { ts: historyTimes(s, len), rx: sum('rxBps'), tx: sum('txBps') };
}

/** Per-interface samples beyond the snapshot's 60, bounded to `max` (15 min at 1 s). */
export class LongHistory {
  #m = new Map<string, { ts: number[]; rx: Array<number | null>; tx: Array<number | null> }>();
  #lastTs = 0;
  readonly max: number;
  constructor(max = 900) { this.max = max; }

  add(s: Snapshot): void {
    if (s.ts <= this.#lastTs) return;
    this.#lastTs = s.ts;
    for (const i of s.interfaces) {
      let h = this.#m.get(i.name);
      if (!h) {
        // Seed from the snapshot's own history (what the engine knows) so a fresh page is not empty;
        // gaps stay gaps (null), never zeros.
        const n = i.history.rxBps.length;
        const times = historyTimes(s, n);
        h = { ts: times.slice(0, -1), rx: i.history.rxBps.slice(0, -1), tx: i.history.txBps.slice(0, -1) };
        this.#m.set(i.name, h);
      }
      h.ts.push(s.ts); h.rx.push(i.rxBps); h.tx.push(i.txBps);
      const over = h.ts.length - this.max;
      if (over > 0) { h.ts.splice(0, over); h.rx.splice(0, over); h.tx.splice(0, over); }
    }
  }

  /** The last `ms` of one interface. */
  window(name: string, ms: number): Series {
    const h = this.#m.get(name);
    if (!h) return { ts: [], rx: [], tx: [] };
    const from = (h.ts.at(-1) ?? 0) - ms;
    const k = h.ts.findIndex((t) => t > from);
    const start = k < 0 ? h.ts.length : k;
    return { ts: h.ts.slice(start), rx: h.rx.slice(start), tx: h.tx.slice(start) };
  }

  /** Epoch ms of the oldest sample known for `name` (engine history included), or null. */
  since(name: string): number | null { return this.#m.get(name)?.ts[0] ?? null; }

  #filled = new Map<string, { until: number; rxBytes: number; txBytes: number }>();
  #asked = new Set<string>();
  /** True the first time it is called for `name`: the page asks the history for each interface once. */
  firstAsk(name: string): boolean { return this.#asked.has(name) ? false : (this.#asked.add(name), true); }
  /**
   * Puts the usage history's 10-second buckets of `name` before its oldest sample: bytes / 10 s at each
   * bucket's end; a bucket without a row (the engine was not running) stays a gap. Returns how many.
   */
  backfill(name: string, a: UsageSeries): number {
    const h = this.#m.get(name);
    if (!h || a.resolution !== '10s') return 0;
    const first = h.ts[0] ?? Infinity;
    const add: Series = { ts: [], rx: [], tx: [] };
    let rxBytes = 0, txBytes = 0;
    for (const b of a.buckets) {
      const end = b.ts + FINE_MS;
      if (end >= first) break;
      const v = b.values.find((x) => x.key === name);
      add.ts.push(end); add.rx.push(v ? v.rxBytes / (FINE_MS / 1000) : null); add.tx.push(v ? v.txBytes / (FINE_MS / 1000) : null);
      rxBytes += v?.rxBytes ?? 0; txBytes += v?.txBytes ?? 0;
    }
    if (add.ts.length === 0) return 0;
    h.ts.unshift(...add.ts); h.rx.unshift(...add.rx); h.tx.unshift(...add.tx);
    this.#filled.set(name, { until: add.ts.at(-1)!, rxBytes, txBytes });
    return add.ts.length;
  }

  /** What backfill() put before the page's own samples of `name`: up to when, and its bytes. */
  filled(name: string): { until: number; rxBytes: number; txBytes: number } | null { return this.#filled.get(name) ?? null; }
}

/** Wi-Fi signal (dBm) per interface over the last `max` snapshots, for the card's sparkline. */
export class SignalHistory {
  #m = new Map<string, Array<number | null>>();
  #lastTs = 0;
  readonly max: number;
  constructor(max = 60) { this.max = max; }
  add(s: Snapshot): void {
    if (s.ts <= this.#lastTs) return;
    this.#lastTs = s.ts;
    for (const w of s.wifi) {
      const h = this.#m.get(w.interface) ?? [];
      h.push(w.associated ? w.signalDbm : null);
      if (h.length > this.max) h.shift();
      this.#m.set(w.interface, h);
    }
  }
  /** A copy: the view compares by reference, and the ring is changed in place. */
  of(name: string): Array<number | null> { return [...(this.#m.get(name) ?? [])]; }
}

/** How a rate (bytes/s) is shown: bits or bytes, SI (1000) or binary (1024) prefixes. */
export type RateUnits = Pick<Settings, 'units' | 'prefix'>;

/** Mantissas of a nice maximum: fine enough that a 6 MB/s peak gets 8, not 10 (the line uses most of the height). */
const NICE_STEPS = [1, 1.5, 2, 3, 4, 5, 6, 8, 10];

/**
 * The smallest "nice" number ≥ `v` in the display's units: one of NICE_STEPS × 10^k of the scaled unit (so
 * 8 Mbit/s, 2 MB/s, 500 KiB/s — never 1.25 MB/s on a bits chart). `perUnit` is how many display units a
 * raw unit is (8 for bits from bytes), `base` the prefix step (1000 or 1024).
 */
export function niceCeil(v: number, perUnit = 1, base = 1000): number {
  if (!Number.isFinite(v) || v <= 0) return 0;
  let x = v * perUnit, scale = 1;
  while (x >= base) { x /= base; scale *= base; }
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  const step = NICE_STEPS.find((n) => m <= n) ?? 10;
  let nice = step * p;
  // 1000 KiB/s reads worse than 1 MiB/s: snap to the next prefix when a step reaches (about) the base.
  if (nice * 1.03 >= base) nice = base;
  return (nice * scale) / perUnit;
}

/** Grow at once to a nice ceiling over the peak; shrink only once the peak fell below `shrinkBelow` of it. */
export const SHRINK_BELOW = 0.4;

/**
 * The y-scale maximum after a new sample window: a nice ceiling over `peak` (never below `floor`), kept
 * as it was (`prev`) while the peak stays between `SHRINK_BELOW` × prev and prev, so the axis does not
 * jump every second as a rate wobbles; a spike widens it at once.
 */
export function holdMax(prev: number, peak: number, floor: number, perUnit = 1, base = 1000): number {
  const want = Math.max(floor, niceCeil(peak, perUnit, base));
  if (!(prev > 0)) return want;
  if (peak > prev) return want;
  return peak < prev * SHRINK_BELOW ? want : prev;
}

/** Display units per raw unit and the prefix base for a rate chart under these settings. */
export const rateScale = (u: RateUnits): { perUnit: number; base: number } =>
  ({ perUnit: u.units === 'bits' ? 8 : 1, base: u.prefix === 'binary' ? 1024 : 1000 });

/** "−60 s", "−5 min", "now": a tick `ms` before now (ms ≤ 0) on an axis `spanMs` wide (minutes beyond 2 min). */
export function relativeTick(ms: number, spanMs = 60_000): string {
  const s = Math.round(-ms / 1000);
  if (s <= 0) return 'now';
  return spanMs <= 120_000 || s % 60 !== 0 ? `−${s} s` : `−${s / 60} min`;
}
