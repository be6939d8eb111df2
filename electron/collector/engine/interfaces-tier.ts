// Interfaces tier: read at every tick (it is the engine's clock), rates and histories per interface.
import type { Interface } from '../../../shared/index.ts';
import { InterfaceTracker } from './interfaces.ts';
import type { TierEnv } from './tier.ts';

export class InterfacesTier {
  #env: TierEnv;
  #tracker = new InterfaceTracker();
  list: Interface[] = [];
  /** Bytes per interface since the previous reading, and when that reading was (InterfaceTracker.deltas). */
  get deltas(): ReadonlyMap<string, { rx: number; tx: number; fromTs: number }> { return this.#tracker.deltas; }

  constructor(env: TierEnv) { this.#env = env; }

  /** Reads the counters; false when the read failed (the list keeps its last value). */
  async read(now: number): Promise<boolean> {
    const st = this.#env.status;
    const r = st.take('interfaces', await this.#env.sources.interfaces());
    if (!r) return false;
    // Rates are right, but part of what is shown is not known: say which part.
    if (r.partial) st.set('interfaces', { state: 'unavailable', reason: r.partial });
    this.list = this.#tracker.update(r.counters, r.meta, now, r.counterBits);
    return true;
  }
}
