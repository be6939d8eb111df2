// Restart backoff for the collector: 1 s doubling to 30 s; a run that lasted a minute resets it.

export interface BackoffPolicy { initialMs: number; maxMs: number; stableMs: number }
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, stableMs: 60_000 };

export class Backoff {
  readonly policy: BackoffPolicy;
  #failures = 0;
  constructor(policy: BackoffPolicy = DEFAULT_BACKOFF) { this.policy = policy; }

  /** Delay before the next start, given how long the run that just ended lasted. */
  next(ranForMs: number): number {
    if (ranForMs >= this.policy.stableMs) this.#failures = 0;
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** this.#failures);
    this.#failures++;
    return delay;
  }
}
