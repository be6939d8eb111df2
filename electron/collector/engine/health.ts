// Gateway and DNS probes: RTT and loss with 60-sample histories; a failed probe is a gap (null).
import { HISTORY_LENGTH, failed, ok, unavailable, type Probe, type SourceStatus } from '../../../shared/index.ts';
import { Ring } from './counters.ts';

export class ProbeTrack {
  readonly target: string;
  #hist = new Ring<number | null>(HISTORY_LENGTH);
  #last: number | null = null;
  #lastTs: number | null = null;
  #status: SourceStatus = unavailable('not probed yet');

  constructor(target: string) { this.target = target; }

  /** A probe that got an answer after `rttMs`. */
  success(rttMs: number, now: number): void { this.#record(rttMs, now, ok()); }
  /** A probe sent that got no answer: loss, and a gap in the chart. */
  lost(now: number, why: string): void { this.#record(null, now, failed(why)); }
  /** No probe could be sent (tool missing, no permission): not loss, just unknown. */
  cannot(status: SourceStatus): void { this.#status = status; }

  #record(rtt: number | null, now: number, status: SourceStatus): void {
    this.#hist.push(rtt);
    this.#last = rtt;
    this.#lastTs = now;
    this.#status = status;
  }

  snapshot(): Probe {
    const h = this.#hist.toArray();
    const lost = h.filter((v) => v === null).length;
    return {
      target: this.target, rttMs: this.#last, history: h, lastProbeTs: this.#lastTs, status: this.#status,
      lossPct: h.length ? (lost / h.length) * 100 : null,
    };
  }
}
