// Forks the real collector entry under Node (as a host would) and collects its messages.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { defaultQuery, type ConnectionPage, type ConnectionQuery, type EngineConfigPatch, type EngineMessage, type Snapshot } from '../../shared/index.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';

export const ENTRY = path.join(ROOT, 'electron', 'collector', 'main.ts');

export class EngineHost {
  readonly child: ChildProcess;
  readonly snapshots: Snapshot[] = [];
  readonly messages: EngineMessage[] = [];
  #waiters: Array<{ pred: (s: Snapshot) => boolean; resolve: (s: Snapshot) => void }> = [];

  constructor(config: EngineConfigPatch, opts: ForkOptions = {}, visible = true) {
    this.child = fork(ENTRY, [], {
      execArgv: [...process.execArgv, ...ENGINE_EXEC_ARGV],
      // Structured-clone IPC, as Electron's utility-process port uses; cheaper than JSON at 16k sockets.
      serialization: 'advanced',
      ...opts,
      env: { ...process.env, ...opts.env, NETWATCH_CONFIG: JSON.stringify(config), NETWATCH_VISIBLE: visible ? '1' : '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: EngineMessage) => {
      this.messages.push(m);
      if (m.type !== 'snapshot') return;
      this.snapshots.push(m.snapshot);
      this.#waiters = this.#waiters.filter((w) => (w.pred(m.snapshot) ? (w.resolve(m.snapshot), false) : true));
    });
  }

  /** Resolves with the first snapshot (from now on) that satisfies `pred`. */
  next(pred: (s: Snapshot) => boolean = () => true, timeoutMs = 20_000): Promise<Snapshot> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching snapshot within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ pred, resolve: (s) => { clearTimeout(t); resolve(s); } });
    });
  }

  /** The next snapshot carrying a connection poll newer than `after`. */
  nextPoll(after: number | null, timeoutMs = 20_000): Promise<Snapshot> {
    return this.next((s) => s.connectionsTs !== null && (after === null || s.connectionsTs > after), timeoutMs);
  }

  send(m: unknown): void { this.child.send(m as object); }

  #queries = 0;
  /** One page of the socket list, as a view asks for it. */
  query(q: Partial<ConnectionQuery> = {}, timeoutMs = 10_000): Promise<ConnectionPage> {
    const requestId = `q${++this.#queries}`;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.child.off('message', on); reject(new Error('no answer to query-connections')); }, timeoutMs);
      const on = (m: EngineMessage) => {
        if (m.type !== 'connections' || m.requestId !== requestId) return;
        clearTimeout(t);
        this.child.off('message', on);
        resolve(m.page);
      };
      this.child.on('message', on);
      this.send({ type: 'query-connections', requestId, query: { ...defaultQuery(), ...q } });
    });
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.send({ type: 'stop' });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(t);
    return code;
  }
}

/** Forks a peer script (in peers/, or an absolute path) with IPC, resolving with it and its first message. */
export function peer<T>(script: string, args: string[] = [], opts: ForkOptions = {}): Promise<{ child: ChildProcess; first: T }> {
  const child = fork(path.resolve(ROOT, 'test', 'integration', 'peers', script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...opts });
  return new Promise((resolve, reject) => {
    child.once('message', (m: T) => resolve({ child, first: m }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export const nextMessage = <T>(child: ChildProcess): Promise<T> => new Promise((r) => child.once('message', (m: T) => r(m)));
