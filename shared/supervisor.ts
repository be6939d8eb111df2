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
  | { kind: 'spawn-failed'; message: string };

/** What the supervisor needs of a child: Electron's UtilityProcess and Node's ChildProcess both fit via small adapters. */
export interface CollectorChild {
  onMessage(cb: (m: unknown) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** `transfer`: message ports handed over with the message (Electron's MessageChannelMain). */
  post(m: unknown, transfer?: unknown[]): void;
  kill(): void;
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
}

/** An exit reason in words: "killed by SIGKILL", "exited with code 1". */
export function describeExit(r: ExitReason): string {
  switch (r.kind) {
    case 'killed': return `killed by ${r.signal}`;
    case 'exited': return `exited with code ${r.code}`;
    case 'spawn-failed': return `could not start: ${r.message}`;
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
    this.#startedAt = this.#d.now();
    child.onMessage((m) => {
      if (child === this.#child) this.#d.onMessage(m as EngineMessage);
    });
    child.onExit((code, signal) => this.#exited(child, exitReason(code, signal)));
    this.#d.onState({ state: 'running', restarts: this.#restarts });
  }

  #exited(child: CollectorChild | null, reason: ExitReason): void {
    if (child && child !== this.#child) return; // an old child we already replaced or stopped
    this.#child = null;
    if (this.#stopping) return;
    const retryInMs = this.#backoff.next(this.#d.now() - this.#startedAt);
    this.#restarts++;
    this.#d.onState({ state: 'stale', reason, retryInMs });
    this.#timer = this.#d.schedule(() => this.#launch(), retryInMs);
  }
}
