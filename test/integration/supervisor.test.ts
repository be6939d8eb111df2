// The supervisor the Electron shell uses, driving the real collector entry under plain Node (its
// spawning function injected): 20 kills in a row, each followed by a restart on the backoff sequence
// and snapshots resuming. The schedule is shortened 100× so the test does not wait 7 minutes; the
// delays the supervisor asks for are the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { Supervisor, type CollectorChild, type SupervisorState } from '../../shared/supervisor.ts';
import { ENTRY } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import type { EngineMessage } from '../../shared/index.ts';

function nodeChild(): { child: CollectorChild; proc: ChildProcess } {
  const proc = fork(ENTRY, [], {
    execArgv: [...process.execArgv, ...ENGINE_EXEC_ARGV],
    env: { ...process.env, NETWATCH_CONFIG: JSON.stringify({ probes: false, intervalMs: 250 }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return {
    proc,
    child: {
      onMessage: (cb) => proc.on('message', cb),
      onExit: (cb) => proc.on('exit', (code, signal) => cb(code, signal)),
      post: (m) => { if (proc.connected) proc.send(m as object); },
      kill: () => proc.kill(),
    },
  };
}

test('20 kills: restarted each time on the backoff sequence, snapshots resume, nothing thrown', { timeout: 120_000 }, async () => {
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  process.on('uncaughtException', onError);
  const procs: ChildProcess[] = [];
  const delays: number[] = [];
  const states: SupervisorState[] = [];
  let snapshotWaiter: ((pid: number) => void) | null = null;
  let current: ChildProcess | undefined;

  const sup = new Supervisor({
    spawn: () => { const { child, proc } = nodeChild(); procs.push(proc); current = proc; return child; },
    schedule: (fn, ms) => { delays.push(ms); const t = setTimeout(fn, ms / 100); return { cancel: () => clearTimeout(t) }; },
    now: () => Date.now(),
    onMessage: (m: EngineMessage) => { if (m.type === 'snapshot' && current?.pid) snapshotWaiter?.(current.pid); },
    onState: (s) => states.push(s),
  });
  const nextSnapshot = () => new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no snapshot within 15 s')), 15_000);
    snapshotWaiter = (pid) => { clearTimeout(t); snapshotWaiter = null; resolve(pid); };
  });

  try {
    sup.start();
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const pid = await nextSnapshot();
      assert.ok(!seen.has(pid), 'each snapshot run comes from a new process');
      seen.add(pid);
      current!.kill('SIGKILL');
    }
    const last = await nextSnapshot();
    assert.equal(seen.size, 20);
    assert.ok(!seen.has(last), 'snapshots resume after the 20th kill');
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, ...Array(15).fill(30000)]);
    const stale = states.filter((s) => s.state === 'stale');
    assert.equal(stale.length, 20);
    assert.ok(stale.every((s) => s.state === 'stale' && s.reason.kind === 'killed' && s.reason.signal === 'SIGKILL'));
    assert.deepEqual(states.at(-1), { state: 'running', restarts: 20 });
  } finally {
    sup.stop();
    await new Promise((r) => setTimeout(r, 300));
    process.off('uncaughtException', onError);
  }
  assert.deepEqual(errors, []);
  assert.ok(procs.every((p) => p.exitCode !== null || p.signalCode !== null), 'no collector left running');
});
