// `netwatch serve` under load, in a network namespace this test makes (so nothing it does is seen by
// other tests): 1,000 stream clients for 30 s, 100 of them never reading. The namespace holds 110 veth
// pairs so each snapshot is the size that broke the server before (220 interfaces with their 60-sample
// histories: the issue saw 135–208 KB); the load starts once they are 135 KB. Bounds, on a 2-core VM:
// - server RSS stays under RSS_BOUND_MB (it grew without bound: 263 MB → 1.43 GB in 90 s with 100
//   clients that never read);
// - reading clients get every snapshot, 99% of them within 1 s of the engine assembling it;
// - /api/status answers every probe (two a second) within a second.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, noNamespaces } from '../helpers.ts';

const NS = `nwl${process.pid}`;
const TOKEN = 'load-test-token-0123456789';
const PAIRS = 110;
const CLIENTS = 1000, SILENT = 100, SECONDS = 30;
/** The load starts once snapshots are this large (the interfaces' histories fill for ~40 s first). */
const MIN_BYTES = 135_000;
/** Documented in the README (Limits of `netwatch serve`). */
export const RSS_BOUND_MB = 300;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['pipe', 'pipe', 'pipe'] }).toString();

let skip: string | false = false;
let serve: ChildProcess | undefined;
let port = 0;

before(async () => {
  try { ip('netns', 'add', NS); } catch (e) { skip = noNamespaces(e); return; }
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  const batch = Array.from({ length: PAIRS }, (_, i) => `link add nwl${i}a type veth peer name nwl${i}b`).join('\n') + '\n';
  execFileSync('ip', ['-n', NS, '-batch', '-'], { input: batch });
  serve = spawn('ip', ['netns', 'exec', NS, process.execPath, path.join(ROOT, 'bin', 'netwatch.js'), 'serve', '--port', '0', '--no-probes'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETWATCH_TOKEN: TOKEN },
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    serve!.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    serve!.stdout!.on('data', (d: Buffer) => { out += d; const m = /:(\d+)\//.exec(out); if (m) resolve(Number(m[1])); });
  });
});

after(() => {
  serve?.kill('SIGTERM');
  try { ip('netns', 'del', NS); } catch { /* was not made */ }
});

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

test(`1,000 stream clients for ${SECONDS} s, 100 never reading: RSS bounded, every snapshot within 1 s p99, status answers`, { timeout: 240_000 }, async (t) => {
  if (skip) return t.skip(skip);
  const pid = serve!.pid!; // `ip netns exec` execs node in place: same pid
  const rss: number[] = [];
  const sampler = setInterval(() => { try { rss.push(rssMb(pid)); } catch { /* exited: asserted below */ } }, 500);
  const clients = spawn('ip', ['netns', 'exec', NS, process.execPath, path.join(ROOT, 'test', 'integration', 'peers', 'stream-clients.ts'),
    JSON.stringify({ port, token: TOKEN, clients: CLIENTS, silent: SILENT, seconds: SECONDS, perAddress: 40, minBytes: MIN_BYTES })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  clients.stdout!.on('data', (d: Buffer) => { out += d; });
  const code = await new Promise<number | null>((r) => clients.once('exit', r));
  clearInterval(sampler);
  assert.equal(code, 0, 'the load clients ran to the end');
  const r = JSON.parse(out) as {
    connected: number; refused: number; events: number; gaps: number; silentClosed: number;
    status: { ok: number; failed: number; maxMs: number }; delayMs: { p50: number; p99: number; max: number };
    eventsPerClient: { min: number; max: number }; before: { snapshotBytes: number }; after: { slowClientsDropped: number; clients: number; refusedConnections: number; snapshotBytes: number }; warmS: number;
  };
  const peak = Math.max(...rss);
  t.diagnostic(`snapshot ${(r.before.snapshotBytes / 1024).toFixed(0)} KB after ${r.warmS} s, ${(r.after.snapshotBytes / 1024).toFixed(0)} KB at the end; RSS start ${rss[0]?.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (bound ${RSS_BOUND_MB}); `
    + `delay p50 ${r.delayMs.p50} ms, p99 ${r.delayMs.p99} ms, max ${r.delayMs.max} ms; events ${r.events}, per client ${r.eventsPerClient.min}–${r.eventsPerClient.max}, gaps ${r.gaps}; `
    + `status ${r.status.ok} ok / ${r.status.failed} failed, slowest ${r.status.maxMs} ms; silent clients dropped ${r.after.slowClientsDropped}; refused ${r.refused}`);
  assert.equal(serve!.exitCode, null, 'the server is still running');
  assert.ok(r.before.snapshotBytes >= MIN_BYTES, `snapshots as large as in the issue (${r.before.snapshotBytes} B)`);
  assert.equal(r.connected, CLIENTS - SILENT, 'every reading client was served');
  assert.equal(r.refused, 0);
  assert.ok(peak < RSS_BOUND_MB, `server RSS peaked at ${peak.toFixed(0)} MB`);
  assert.ok(r.delayMs.p99 <= 1000, `p99 delay ${r.delayMs.p99} ms`);
  assert.equal(r.gaps, 0, 'reading clients missed no snapshot');
  assert.ok(r.eventsPerClient.min >= SECONDS - 3, `every reading client got ~1 snapshot/s (${r.eventsPerClient.min})`);
  assert.equal(r.status.failed, 0);
  assert.ok(r.status.ok >= SECONDS * 2 - 2);
});
