// Interface rates, 60-sample histories and since-start averages from cumulative counters.
import { HISTORY_LENGTH, type Interface, type InterfaceCounters } from '../../../shared/index.ts';
import type { InterfaceMeta } from '../sources.ts';
import { counterDelta, perSec, Ring, type CounterBits } from './counters.ts';

interface State {
  prev: InterfaceCounters;
  prevTs: number;
  firstTs: number;
  /** Bytes accumulated from trusted deltas only, so a counter reset does not skew the average. */
  rxTotal: number;
  txTotal: number;
  rxHist: Ring<number | null>;
  txHist: Ring<number | null>;
  rates: { rxBps: number; txBps: number; rxPps: number; txPps: number };
}

/**
 * State is keyed by interface index where the source knows it: a deleted and recreated interface of the
 * same name gets a new index and starts fresh (its counters restarted from zero), while a renamed one
 * keeps its history.
 */
const keyOf = (name: string, m: InterfaceMeta | undefined): string => (m?.ifindex != null ? `#${m.ifindex}` : `name:${name}`); // names hold no ':'

export class InterfaceTracker {
  #state = new Map<string, State>();
  /** Bytes each interface moved since the previous reading (trusted deltas only), for the history. */
  deltas = new Map<string, { rx: number; tx: number; fromTs: number }>();

  /** Folds one reading in and returns every interface with its rates; `bits`: the counters' width. */
  update(counters: Map<string, InterfaceCounters>, meta: Map<string, InterfaceMeta>, now: number, bits: CounterBits = 64): Interface[] {
    const keys = new Set<string>();
    for (const name of counters.keys()) keys.add(keyOf(name, meta.get(name)));
    for (const key of this.#state.keys()) if (!keys.has(key)) this.#state.delete(key);
    this.deltas = new Map();
    const out: Interface[] = [];
    for (const [name, c] of counters) {
      const m = meta.get(name);
      const key = keyOf(name, m);
      let st = this.#state.get(key);
      if (!st) {
        st = {
          prev: c, prevTs: now, firstTs: now, rxTotal: 0, txTotal: 0,
          rxHist: new Ring(HISTORY_LENGTH), txHist: new Ring(HISTORY_LENGTH),
          rates: { rxBps: 0, txBps: 0, rxPps: 0, txPps: 0 },
        };
        this.#state.set(key, st);
      } else if (now > st.prevTs) {
        const dt = now - st.prevTs;
        const rx = counterDelta(st.prev.rxBytes, c.rxBytes, dt, { bits });
        const tx = counterDelta(st.prev.txBytes, c.txBytes, dt, { bits });
        const rxp = counterDelta(st.prev.rxPackets, c.rxPackets, dt, { bits });
        const txp = counterDelta(st.prev.txPackets, c.txPackets, dt, { bits });
        st.rates = {
          rxBps: rx === null ? 0 : perSec(rx, dt), txBps: tx === null ? 0 : perSec(tx, dt),
          rxPps: rxp === null ? 0 : perSec(rxp, dt), txPps: txp === null ? 0 : perSec(txp, dt),
        };
        st.rxTotal += rx ?? 0;
        st.txTotal += tx ?? 0;
        if (rx || tx) this.deltas.set(name, { rx: rx ?? 0, tx: tx ?? 0, fromTs: st.prevTs });
        st.rxHist.push(rx === null ? null : st.rates.rxBps);
        st.txHist.push(tx === null ? null : st.rates.txBps);
        st.prev = c;
        st.prevTs = now;
      }
      const since = now - st.firstTs;
      out.push({
        name,
        type: m?.type ?? 'Other',
        virtualKind: m?.virtualKind ?? null,
        mac: m?.mac ?? null,
        ipv4: m?.ipv4 ?? [],
        ipv6: m?.ipv6 ?? [],
        mtu: m?.mtu ?? null,
        speedMbps: m?.speedMbps ?? null,
        up: m?.up ?? false,
        operstate: m?.operstate ?? 'unknown',
        counters: c,
        ...st.rates,
        history: { rxBps: st.rxHist.toArray(), txBps: st.txHist.toArray() },
        average: { rxBps: perSec(st.rxTotal, since), txBps: perSec(st.txTotal, since), sinceMs: since },
      });
    }
    return out;
  }
}
