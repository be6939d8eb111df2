// Interface rates, 60-sample histories and since-start averages from cumulative counters.
import { HISTORY_LENGTH, type Interface, type InterfaceCounters } from '../../../shared/index.ts';
import type { InterfaceMeta } from '../sources.ts';
import { counterDelta, perSec, Ring } from './counters.ts';

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

export class InterfaceTracker {
  #state = new Map<string, State>();

  /** Folds one reading in and returns every interface with its rates. */
  update(counters: Map<string, InterfaceCounters>, meta: Map<string, InterfaceMeta>, now: number): Interface[] {
    for (const name of this.#state.keys()) if (!counters.has(name)) this.#state.delete(name);
    const out: Interface[] = [];
    for (const [name, c] of counters) {
      let st = this.#state.get(name);
      if (!st) {
        st = {
          prev: c, prevTs: now, firstTs: now, rxTotal: 0, txTotal: 0,
          rxHist: new Ring(HISTORY_LENGTH), txHist: new Ring(HISTORY_LENGTH),
          rates: { rxBps: 0, txBps: 0, rxPps: 0, txPps: 0 },
        };
        this.#state.set(name, st);
      } else if (now > st.prevTs) {
        const dt = now - st.prevTs;
        const rx = counterDelta(st.prev.rxBytes, c.rxBytes, dt);
        const tx = counterDelta(st.prev.txBytes, c.txBytes, dt);
        const rxp = counterDelta(st.prev.rxPackets, c.rxPackets, dt);
        const txp = counterDelta(st.prev.txPackets, c.txPackets, dt);
        st.rates = {
          rxBps: rx === null ? 0 : perSec(rx, dt), txBps: tx === null ? 0 : perSec(tx, dt),
          rxPps: rxp === null ? 0 : perSec(rxp, dt), txPps: txp === null ? 0 : perSec(txp, dt),
        };
        st.rxTotal += rx ?? 0;
        st.txTotal += tx ?? 0;
        st.rxHist.push(rx === null ? null : st.rates.rxBps);
        st.txHist.push(tx === null ? null : st.rates.txBps);
        st.prev = c;
        st.prevTs = now;
      }
      const m = meta.get(name);
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
