// Collector supervision: start it, restart it with backoff when it exits unexpectedly, mark the data
// stale meanwhile, and stop it for good on quit. The spawning function is injected, so the same code
// drives an Electron utility process in the app and a Node child in tests.
import type { EngineMessage } from './messages.ts';
import { Backoff } from './backoff.ts';

/** Why the collector stopped, as far as the host can tell. */
export type ExitReason =
  | { kind: 'stopped' } // we asked it to
  | { kind: 'exited'; code: number } // it exited by itself with this code
  | { kind: 'killed'; signal: string } // a signal ended it (OOM killer, user, crash)
  | { kind: 'spawn-failed'; message: string }
  | { kind: 'hung'; silentMs: number }; // alive but silent (stopped, deadlocked): we killed it

/** What the supervisor needs of a child: Electron's UtilityProcess and Node's ChildProcess both fit via small adapters. */
export interface CollectorChild {
  onMessage(cb: (m: unknown) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** `transfer`: message ports handed over with the message (Electron's MessageChannelMain). */
  post(m: unknown, transfer?: unknown[]): void;
  /** `force`: SIGKILL, for a hung child (a stopped process never acts on SIGTERM). */
  kill(force?: boolean): void;
  /**
   * Node's ChildProcess 'error': a spawn that failed after returning (EMFILE, EAGAIN, ENOENT) emits it
   * and never 'exit'. Optional: Electron's UtilityProcess has no such event.
   */
  onError?(cb: (e: Error) => void): void;
}

export type SupervisorState = { state: 'running'; restarts: number } | { state: 'stale'; reason: ExitReason; retryInMs: number } | { state: 'stopped' };

export interface SupervisorDeps {
  spawn: () => CollectorChild;
  /** setTimeout, injectable so tests need not wait 30 s. */
  schedule: (fn: () => void, ms: number) => { cancel(): void };
  now: () => number;
  onMessage: (m: EngineMessage) => void;
  onState: (s: SupervisorState) => void;
  backoff?: Backoff;
  /**
   * Liveness: a collector that sends no snapshot for `missed` checks in a row, one per `intervalMs()`
   * (the current snapshot interval), and for at least `minMs`, is killed and restarted (reason
   * `hung`). Counting checks rather than comparing clocks means a host whose own loop stalled does not
   * blame the collector: the checks did not run either. `paused()`: the host paused monitoring, so the
   * collector is silent by request (Electron's tray "Pause Monitoring"); silence then is not a hang.
   */
  liveness?: { intervalMs: () => number; missed?: number; minMs?: number; paused?: () => boolean };
}

export const LIVENESS_MISSED = 5;
/** Long enough for a cold start on a loaded machine (module load and the first poll). */
export const LIVENESS_MIN_MS = 10_000;

/** An exit reason in words: "killed by SIGKILL", "exited with code 1". */
export function describeExit(r: ExitReason): string {
  switch (r.kind) {
    case 'killed': return `killed by ${r.signal}`;
    case 'exited': return `exited with code ${r.code}`;
    case 'spawn-failed': return `could not start: ${r.message}`;
    case 'hung': return `hung (no snapshot for ${Math.round(r.silentMs / 1000)} s), killed`;
    case 'stopped': return 'stopped';
  }
}

/** What a view is told while the collector is not running: why, and when it comes back. */
export function downReason(s: Exclude<SupervisorState, { state: 'running' }>, who: string): string {
  return s.state === 'stale' ? `${who} ${describeExit(s.reason)}; restarting in ${Math.round(s.retryInMs / 1000)} s` : `${who} stopped`;
}

export function exitReason(code: number | null, signal: string | null): ExitReason {
  if (signal) return { kind: 'killed', signal };
  return { kind: 'exited', code: code ?? -1 };
}

export class Supervisor {
  #d: SupervisorDeps;
  #backoff: Backoff;
  #child: CollectorChild | null = null;
  #startedAt = 0;
  #restarts = 0;
  #stopping = false;
  #timer: { cancel(): void } | null = null;
  #watch: { cancel(): void } | null = null;
  #lastSnapshot = 0;
  #missed = 0;

  constructor(d: SupervisorDeps) {
    this.#d = d;
    this.#backoff = d.backoff ?? new Backoff();
  }

  start(): void {
    this.#stopping = false;
    this.#launch();
  }

  /** Sends to the running collector; dropped while it is restarting (the host re-sends state on 'running'). */
  send(m: unknown, transfer?: unknown[]): void { this.#child?.post(m, transfer); }

  /** Quit: no more restarts, and the collector is told to stop (and killed if it lingers). */
  stop(): void {
    this.#stopping = true;
    this.#timer?.cancel();
    this.#timer = null;
    this.#unwatch();
    const c = this.#child;
    this.#child = null;
    if (c) {
      c.post({ type: 'stop' });
      c.kill();
    }
    this.#d.onState({ state: 'stopped' });
  }

  #launch(): void {
    this.#timer = null;
    let child: CollectorChild;
    try {
      child = this.#d.spawn();
    } catch (e) {
      this.#exited(null, { kind: 'spawn-failed', message: (e as Error).message });
      return;
    }
    this.#child = child;
    this.#startedAt = this.#lastSnapshot = this.#d.now();
    this.#missed = 0;
    child.onMessage((m) => {
      if (child !== this.#child) return;
      if ((m as EngineMessage).type === 'snapshot') { this.#lastSnapshot = this.#d.now(); this.#missed = 0; }
      this.#d.onMessage(m as EngineMessage);
    });
    child.onExit((code, signal) => this.#exited(child, exitReason(code, signal)));
    child.onError?.((e) => this.#exited(child, { kind: 'spawn-failed', message: e.message }));
    this.#watchLiveness(child);
    this.#d.onState({ state: 'running', restarts: this.#restarts });
  }

  #watchLiveness(child: CollectorChild): void {
    const l = this.#d.liveness;
    if (!l) return;
    this.#watch = this.#d.schedule(() => {
      this.#watch = null;
      if (child !== this.#child) return;
      if (l.paused?.()) { this.#missed = 0; this.#lastSnapshot = this.#d.now(); this.#watchLiveness(child); return; }
      const silentMs = this.#d.now() - this.#lastSnapshot;
      if (silentMs > 0 && ++this.#missed >= (l.missed ?? LIVENESS_MISSED) && silentMs >= (l.minMs ?? LIVENESS_MIN_MS)) {
        child.kill(true);
        this.#exited(child, { kind: 'hung', silentMs });
        return;
      }
      // A snapshot since the last check resets the count (done where it arrives).
      this.#watchLiveness(child);
    }, l.intervalMs());
  }

  #unwatch(): void { this.#watch?.cancel(); this.#watch = null; }

  #exited(child: CollectorChild | null, reason: ExitReason): void {
    if (child && child !== this.#child) return; // an old child we already replaced or stopped
    this.#child = null;
    this.#unwatch();
    if (this.#stopping) return;
    const retryInMs = this.#backoff.next(this.#d.now() - this.#startedAt);
    this.#restarts++;
    this.#d.onState({ state: 'stale', reason, retryInMs });
    this.#timer = this.#d.schedule(() => this.#launch(), retryInMs);
  }
}
