// TCP connection attempts and their outcomes, in total and per app. From handshakes the capture saw
// (connect time measured), or, without the capture, from the kernel's ActiveOpens / AttemptFails.
import type { ConnectMetrics } from '../../../shared/index.ts';
import type { Handshake } from '../capture.ts';
import type { TcpCounters } from '../sources.ts';
import type { AppRef } from './flow-accounts.ts';

/** Connect times kept for the average and the p95 (the most recent ones). */
const TIMES = 1000;
const MAX_APPS = 256;

class Outcomes {
  attempts = 0; successes = 0; refused = 0; timedOut = 0;
  #times = new Float64Array(TIMES);
  #n = 0;

  add(h: Handshake): void {
    this.attempts++;
    if (h.outcome === 'ok') {
      this.successes++;
      if (h.connectUs !== null) this.#times[this.#n++ % TIMES] = h.connectUs / 1000;
    } else if (h.outcome === 'refused') this.refused++;
    else this.timedOut++;
  }

  metrics(): ConnectMetrics {
    const n = Math.min(this.#n, TIMES);
    const t = Array.from(this.#times.subarray(0, n)).sort((a, b) => a - b);
    const failures = this.refused + this.timedOut;
    const known = this.successes + failures;
    return {
      method: 'handshakes', attempts: this.attempts, successes: this.successes, refused: this.refused, timedOut: this.timedOut,
      failures, errorPct: known > 0 ? (failures / known) * 100 : null,
      avgConnectMs: n > 0 ? t.reduce((a, b) => a + b, 0) / n : null,
      // Nearest rank: the smallest time with at least 95 % of the times at or below it.
      p95ConnectMs: n > 0 ? t[Math.ceil(0.95 * n) - 1]! : null,
    };
  }
}

export class ConnectTracker {
  #total = new Outcomes();
  #apps = new Map<string, { name: string; o: Outcomes }>();
  #kernel: { first: TcpCounters; last: TcpCounters } | null = null;
  #handshakes = false;

  /** Handshakes with their outcome known; `owner` names the app of the connecting socket, if listed. */
  add(hs: readonly Handshake[], owner: (h: Handshake) => AppRef | null): void {
    this.#handshakes = true;
    for (const h of hs) {
      this.#total.add(h);
      const ref = owner(h);
      if (!ref) continue;
      let a = this.#apps.get(ref.id);
      if (!a) {
        if (this.#apps.size >= MAX_APPS) continue; // bounded; the total still counts it
        this.#apps.set(ref.id, (a = { name: ref.name, o: new Outcomes() }));
      }
      a.o.add(h);
    }
  }

  /** Kernel counters, for when no handshake is seen (capture unavailable). */
  kernel(c: TcpCounters): void {
    this.#kernel = this.#kernel ? { first: this.#kernel.first, last: c } : { first: c, last: c };
  }

  /** Handshakes once the capture has reported; kernel counters before or without it; null: nothing yet. */
  snapshot(): { total: ConnectMetrics; apps: Array<ConnectMetrics & { appId: string; app: string }> } | null {
    if (this.#handshakes) {
      return { total: this.#total.metrics(), apps: [...this.#apps].map(([appId, a]) => ({ ...a.o.metrics(), appId, app: a.name })) };
    }
    if (!this.#kernel) return null;
    const { first, last } = this.#kernel;
    const d = (k: keyof TcpCounters) => Math.max(0, last[k] - first[k]); // since this engine started
    // AttemptFails counts SYN-SENT → CLOSED (refused, timed out, given up) and SYN-RECV failures too.
    const attempts = d('activeOpens'), failures = Math.min(attempts, d('attemptFails'));
    return {
      total: {
        method: 'kernel-counters', attempts, successes: attempts - failures, refused: null, timedOut: null, failures,
        errorPct: attempts > 0 ? (failures / attempts) * 100 : null, avgConnectMs: null, p95ConnectMs: null,
      },
      apps: [],
    };
  }
}
