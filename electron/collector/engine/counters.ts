// Differencing cumulative kernel counters without ever producing a negative or absurd rate.
import type { CpuTimes } from '../sources.ts';

/** No interface or socket moves more than this; a larger jump is a reset we did not see (bytes/s). */
export const MAX_PLAUSIBLE_BPS = 100e9; // 800 Gbit/s
const U32 = 2 ** 32;

/** How wide a counter is: a 32-bit one can wrap within minutes at gigabit rates, a 64-bit one never does. */
export type CounterBits = 32 | 64;

/**
 * Growth of a cumulative counter between two reads, or null when it cannot be trusted. A decrease of a
 * 32-bit counter (32-bit kernels, some drivers) is unwrapped; any other decrease is a reset (interface
 * re-created, driver reloaded) and yields null — a gap, not a negative rate. Unwrapping a 64-bit
 * counter's reset made a recreated veth at 3.0 GB read as a 1,286 MB/s burst.
 */
export function counterDelta(prev: number, cur: number, dtMs: number, o: { bits?: CounterBits; maxPerSec?: number } = {}): number | null {
  if (!Number.isFinite(prev) || !Number.isFinite(cur) || dtMs <= 0) return null;
  let d = cur - prev;
  if (d < 0) {
    // Only a 32-bit counter that was in the top half of its range can have wrapped; anything else
    // that went back was reset (e.g. 70 MB → 300 B after a driver reload is not a 4 GB burst).
    if (o.bits === 32 && prev >= U32 / 2 && prev < U32 && cur < U32 / 2) d = U32 - prev + cur;
    else return null;
  }
  return d / (dtMs / 1000) > (o.maxPerSec ?? MAX_PLAUSIBLE_BPS) ? null : d;
}

/** Rate in units per second from a delta over `dtMs`. */
export const perSec = (delta: number, dtMs: number): number => (dtMs > 0 ? (delta * 1000) / dtMs : 0);

/** Busy percent between two CPU samples; 0 when the counters did not move or went backwards. */
export function busyPct(prev: CpuTimes, cur: CpuTimes): number {
  const dt = cur.total - prev.total;
  const db = cur.busy - prev.busy;
  if (dt <= 0 || db < 0) return 0;
  return Math.min(100, (db / dt) * 100);
}

/** Fixed-length history, oldest first. */
export class Ring<T> {
  #items: T[] = [];
  readonly size: number;
  constructor(size: number) { this.size = size; }
  push(v: T): void {
    this.#items.push(v);
    if (this.#items.length > this.size) this.#items.shift();
  }
  toArray(): T[] { return this.#items.slice(); }
  get length(): number { return this.#items.length; }
}
