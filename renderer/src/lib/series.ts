// Rate series for charts: the total over the counted interfaces (shared/totals.ts), and a longer per-interface history
// than the snapshot's 60 samples, kept while the page is open (for the 5 and 15 minute windows).
import { countedInterfaces, type Snapshot } from '../../../shared/index.ts';

export interface Series { rx: Array<number | null>; tx: Array<number | null> }

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
  return { rx: sum('rxBps'), tx: sum('txBps') };
}

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

/** Wi-Fi signal (dBm) per interface over the last `max` snapshots, for the card's sparkline. */
export class SignalHistory {
  #m = new Map<string, Array<number | null>>();
  #lastTs = 0;
  constructor(readonly max = 60) {}
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
