// Connection queries to an engine over a message port: ids, answers matched to askers, timeouts.
// Used by every host that forwards a view's queries (Electron main, `netwatch serve`).
import type { ConnectionPage, ConnectionQuery } from './query.ts';
import type { UsageAnswer, UsageQuery } from './contract/usage.ts';
import type { EngineMessage } from './messages.ts';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export class PendingQueries {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry's resolve takes its own answer type
  #pending = new Map<string, { resolve: (p: any) => void; reject: (e: Error) => void; timer: unknown }>();
  #seq = 0;
  readonly send: (m: unknown) => void;
  readonly timers: Timers;
  readonly timeoutMs: number;
  constructor(send: (m: unknown) => void, timers: Timers, timeoutMs = 5000) {
    this.send = send;
    this.timers = timers;
    this.timeoutMs = timeoutMs;
  }

  ask(query: ConnectionQuery): Promise<ConnectionPage> { return this.#ask({ type: 'query-connections', query }); }
  /** A question to the usage history. */
  askUsage(query: UsageQuery): Promise<UsageAnswer> { return this.#ask({ type: 'query-usage', query }); }

  #ask<T>(m: { type: string; query: unknown }): Promise<T> {
    return new Promise((resolve, reject) => {
      const requestId = `q${++this.#seq}`;
      const timer = this.timers.set(() => {
        this.#pending.delete(requestId);
        reject(new Error(`the engine did not answer in ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
      this.send({ ...m, requestId });
    });
  }

  /** Feed every engine message here; returns true when it was an answer. */
  answer(m: EngineMessage): boolean {
    if (m.type !== 'connections' && m.type !== 'usage') return false;
    const p = this.#pending.get(m.requestId);
    if (p) { this.timers.clear(p.timer); this.#pending.delete(m.requestId); p.resolve(m.type === 'usage' ? m.answer : m.page); }
    return true;
  }

  /** The engine went away: nobody will answer. */
  failAll(reason: string): void {
    for (const p of this.#pending.values()) { this.timers.clear(p.timer); p.reject(new Error(reason)); }
    this.#pending.clear();
  }
}
