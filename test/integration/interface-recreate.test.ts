// A veth whose transmit counter stood at 3.0 GB, deleted and created again under the same name between
// two engine ticks, read as a 1,286 MB/s upload: its reset was taken for a 32-bit wrap (state was keyed
// by name). In namespaces this test makes, with real traffic between them; the engine runs in A.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { EngineHost } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import { noNamespaces } from '../helpers.ts';

const A = `nwi${process.pid}a`;
const B = `nwi${process.pid}b`;
const BYTES = 3_000_000_000;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
const veth = () => {
  ip('-n', A, 'link', 'add', 'nwr0', 'type', 'veth', 'peer', 'name', 'nwr1', 'netns', B);
  ip('-n', A, 'addr', 'add', '10.213.9.1/24', 'dev', 'nwr0');
  ip('-n', B, 'addr', 'add', '10.213.9.2/24', 'dev', 'nwr1');
  ip('-n', A, 'link', 'set', 'nwr0', 'up');
  ip('-n', B, 'link', 'set', 'nwr1', 'up');
};

let skip: string | false = false;
before(() => {
  try { ip('netns', 'add', A); ip('netns', 'add', B); } catch (e) { skip = noNamespaces(e); return; }
  for (const ns of [A, B]) ip('-n', ns, 'link', 'set', 'lo', 'up');
  veth();
});
after(() => { for (const ns of [A, B]) { try { ip('netns', 'del', ns); } catch { /* not made */ } } });

/** Sends `bytes` from A to a sink in B over TCP, as fast as the veth takes them. */
async function push(bytes: number): Promise<void> {
  const sink = spawn('ip', ['netns', 'exec', B, process.execPath, '-e',
    "require('net').createServer((s) => s.resume().on('end', () => s.end())).listen(5099, '10.213.9.2', () => console.log('ready'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => sink.stdout!.once('data', r));
  execFileSync('ip', ['netns', 'exec', A, process.execPath, '-e', `
    const s = require('net').connect(5099, '10.213.9.2');
    const chunk = Buffer.alloc(1 << 20, 120); let left = ${bytes};
    const go = () => { while (left > 0) { left -= chunk.length; if (!s.write(chunk)) return s.once('drain', go); } s.end(); };
    s.on('connect', go); s.on('close', () => process.exit(0));`], { stdio: 'inherit', timeout: 120_000 });
  sink.kill();
}

test('a veth recreated at 3.0 GB (new ifindex, counters from zero) starts fresh: no phantom 1,286 MB/s upload', { timeout: 180_000 }, async (t) => {
  if (skip) return t.skip(skip);
  await push(BYTES);
  const engine = new EngineHost({ probes: false, intervalMs: 500 }, {
    // `ip netns exec A node …` execs in place: the IPC channel fork set up is kept.
    execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV],
  });
  try {
    const big = await engine.next((s) => (s.interfaces.find((i) => i.name === 'nwr0')?.counters.txBytes ?? 0) >= BYTES);
    const before = big.interfaces.find((i) => i.name === 'nwr0')!;
    t.diagnostic(`nwr0 tx counter before: ${(before.counters.txBytes / 1e9).toFixed(2)} GB`);
    // Deleted and created again at once, between two ticks, under the same names.
    ip('-n', A, 'link', 'del', 'nwr0');
    veth();
    const after = await engine.next((s) => (s.interfaces.find((i) => i.name === 'nwr0')?.counters.txBytes ?? Infinity) < 1e6);
    const more = await engine.next();
    for (const s of [after, more]) {
      const i = s.interfaces.find((x) => x.name === 'nwr0')!;
      assert.ok(i.txBps < 1e6 && i.rxBps < 1e6, `phantom rate: tx ${i.txBps} B/s, rx ${i.rxBps} B/s`);
      assert.ok(i.history.txBps.every((v) => v === null || v < 1e6), 'no phantom in the history');
    }
    assert.ok(after.interfaces.find((x) => x.name === 'nwr0')!.history.txBps.length <= 2, 'the new interface has no history of the old one');
  } finally {
    await engine.stop();
  }
});
