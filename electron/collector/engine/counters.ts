// Differencing cumulative kernel counters without ever producing a negative or absurd rate.

/** No interface or socket moves more than this; a larger jump is a reset we did not see (bytes/s). */
export const MAX_PLAUSIBLE_BPS = 100e9; // 800 Gbit/s
const U32 = 2 ** 32;

/**
 * Growth of a cumulative counter between two reads, or null when it cannot be trusted:
 * a 32-bit wrap (old kernels, some drivers) is unwrapped; any other decrease is a reset
 * (interface re-created, driver reloaded) and yields null — a gap, not a negative rate.
 */
export function counterDelta(prev: number, cur: number, dtMs: number, maxPerSec = MAX_PLAUSIBLE_BPS): number | null {
  if (!Number.isFinite(prev) || !Number.isFinite(cur) || dtMs <= 0) return null;
  let d = cur - prev;
  if (d < 0) {
    if (prev < U32 && cur < U32) d = U32 - prev + cur;
    else return null;
  }
  return d / (dtMs / 1000) > maxPerSec ? null : d;
}

/** Rate in units per second from a delta over `dtMs`. */
export const perSec = (delta: number, dtMs: number): number => (dtMs > 0 ? (delta * 1000) / dtMs : 0);

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
