// Rate series for charts: the total over physical interfaces, and a longer per-interface history
// than the snapshot's 60 samples, kept while the page is open (for the 5 and 15 minute windows).
import type { Interface, Snapshot } from '../../../shared/index.ts';

/**
 * Interfaces that count towards "total": the physical ones (loopback is local, and bridges or veths would
 * count the same bytes twice). Where there is none — a container, whose eth0 is a veth — every
 * non-loopback interface. `only` (a setting) overrides both.
 */
export function counted(ifs: readonly Interface[], only: readonly string[] = []): Interface[] {
  if (only.length > 0) return ifs.filter((i) => only.includes(i.name));
  const physical = ifs.filter((i) => i.type !== 'Loopback' && i.type !== 'Virtual');
  return physical.length > 0 ? physical : ifs.filter((i) => i.type !== 'Loopback');
}

export interface Series { rx: Array<number | null>; tx: Array<number | null> }

/** Sum of the counted interfaces' histories, aligned at the newest sample; null where any was null. */
export function totalHistory(s: Snapshot, only: readonly string[] = []): Series {
  const ifs = counted(s.interfaces, only);
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
  return { rx: sum('rxBps'), tx: sum('txBps') };
}

export const totalNow = (s: Snapshot, only: readonly string[] = []) => {
  const ifs = counted(s.interfaces, only);
  return { rx: ifs.reduce((a, i) => a + i.rxBps, 0), tx: ifs.reduce((a, i) => a + i.txBps, 0) };
};

/** Per-interface samples beyond the snapshot's 60, bounded to `max` (15 min at 1 s). */
export class LongHistory {
  #m = new Map<string, { ts: number[]; rx: number[]; tx: number[] }>();
  #lastTs = 0;
  constructor(readonly max = 900) {}

  add(s: Snapshot): void {
    if (s.ts <= this.#lastTs) return;
    this.#lastTs = s.ts;
    for (const i of s.interfaces) {
      let h = this.#m.get(i.name);
      if (!h) {
        // Seed from the snapshot's own history so a freshly opened window is not empty.
        const n = i.history.rxBps.length;
        h = { ts: [], rx: [], tx: [] };
        for (let k = 0; k < n - 1; k++) {
          h.ts.push(s.ts - (n - 1 - k) * s.intervalMs);
          h.rx.push(i.history.rxBps[k] ?? 0);
          h.tx.push(i.history.txBps[k] ?? 0);
        }
        this.#m.set(i.name, h);
      }
      h.ts.push(s.ts); h.rx.push(i.rxBps); h.tx.push(i.txBps);
      if (h.ts.length > this.max) { h.ts.shift(); h.rx.shift(); h.tx.shift(); }
    }
  }

  /** The last `ms` of one interface. */
  window(name: string, ms: number): { ts: number[]; rx: number[]; tx: number[] } {
    const h = this.#m.get(name);
    if (!h) return { ts: [], rx: [], tx: [] };
    const from = (h.ts.at(-1) ?? 0) - ms;
    const k = h.ts.findIndex((t) => t > from);
    const start = k < 0 ? h.ts.length : k;
    return { ts: h.ts.slice(start), rx: h.rx.slice(start), tx: h.tx.slice(start) };
  }
}
