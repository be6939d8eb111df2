// TCP connection attempts and their outcomes, in total and per app. From handshakes the capture saw
// (connect time measured); without the capture, from sockets born in the polls and ended in socket-
// destroy events (socket-attempts.ts), or, without those either, from the kernel's ActiveOpens / AttemptFails.
import type { ConnectMetrics } from '../../../shared/index.ts';
import type { Handshake, HandshakeOutcome } from '../capture.ts';
import type { TcpCounters } from '../sources.ts';
import type { AppRef } from './flow-accounts.ts';

/** Connect times kept for the average and the p95 (the most recent ones). */
const TIMES = 1000;
const MAX_APPS = 256;

type Method = 'handshakes' | 'socket-events';

class Outcomes {
  attempts = 0; successes = 0; refused = 0; timedOut = 0;
  #times = new Float64Array(TIMES);
  #n = 0;
  readonly method: Method;
  constructor(method: Method) { this.method = method; }

  add(outcome: HandshakeOutcome, connectUs: number | null): void {
    this.attempts++;
    if (outcome === 'ok') {
      this.successes++;
      if (connectUs !== null) this.#times[this.#n++ % TIMES] = connectUs / 1000;
    } else if (outcome === 'refused') this.refused++;
    else this.timedOut++;
  }

  metrics(): ConnectMetrics {
    const n = Math.min(this.#n, TIMES);
    const t = Array.from(this.#times.subarray(0, n)).sort((a, b) => a - b);
    const failures = this.refused + this.timedOut;
    const known = this.successes + failures;
    return {
      method: this.method, attempts: this.attempts, successes: this.successes, refused: this.refused, timedOut: this.timedOut,
      failures, errorPct: known > 0 ? (failures / known) * 100 : null,
      avgConnectMs: n > 0 ? t.reduce((a, b) => a + b, 0) / n : null,
      // Nearest rank: the smallest time with at least 95 % of the times at or below it.
      p95ConnectMs: n > 0 ? t[Math.ceil(0.95 * n) - 1]! : null,
    };
  }
}

/** Outcomes in total and per app, by one method. */
class Tally {
  total: Outcomes;
  apps = new Map<string, { name: string; o: Outcomes }>();
  seen = false;
  readonly method: Method;
  constructor(method: Method) { this.method = method; this.total = new Outcomes(method); }

  add(outcome: HandshakeOutcome, connectUs: number | null, ref: AppRef | null): void {
    this.seen = true;
    this.total.add(outcome, connectUs);
    if (!ref) return;
    let a = this.apps.get(ref.id);
    if (!a) {
      if (this.apps.size >= MAX_APPS) return; // bounded; the total still counts it
      this.apps.set(ref.id, (a = { name: ref.name, o: new Outcomes(this.method) }));
    }
    a.o.add(outcome, connectUs);
  }

  snapshot() { return { total: this.total.metrics(), apps: [...this.apps].map(([appId, a]) => ({ ...a.o.metrics(), appId, app: a.name })) }; }
}

export class ConnectTracker {
  #handshakes = new Tally('handshakes');
  #events = new Tally('socket-events');
  #eventsOn = false;
  #kernel: { first: TcpCounters; last: TcpCounters } | null = null;

  /** Handshakes with their outcome known; `owner` names the app of the connecting socket, if listed. */
  add(hs: readonly Handshake[], owner: (h: Handshake) => AppRef | null): void {
    this.#handshakes.seen = true;
    for (const h of hs) this.#handshakes.add(h.outcome, h.connectUs, owner(h));
  }

  /** One outcome from the socket polls and destroy events (socket-attempts.ts); no connect time. */
  event(outcome: HandshakeOutcome, ref: AppRef | null): void { this.#events.add(outcome, null, ref); }

  /** Whether socket-destroy events are followed: then their outcomes are the figures without the capture. */
  set eventsFollowed(on: boolean) { this.#eventsOn = on; }

  /** Kernel counters, for when no handshake is seen (capture unavailable). */
  kernel(c: TcpCounters): void {
    this.#kernel = this.#kernel ? { first: this.#kernel.first, last: c } : { first: c, last: c };
  }

  /**
   * Handshakes once the capture has reported; socket events while destroy events are followed; kernel
   * counters otherwise; null: nothing yet.
   */
  snapshot(): { total: ConnectMetrics; apps: Array<ConnectMetrics & { appId: string; app: string }> } | null {
    if (this.#handshakes.seen) return this.#handshakes.snapshot();
    if (this.#eventsOn || this.#events.seen) return this.#events.snapshot();
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
