// Connection quality per app (issue 12 point 9) against real kernel figures: two apps in namespace A
// upload to a host in namespace B; a traffic-control class on A's veth throttles only the packets of
// one of them (to port 9002). The engine must name that app as the one with the bad connection.
// No packet leaves this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, type AppUsage, type Snapshot } from '../../shared/index.ts';

const A = `nwq${process.pid}a`, R = `nwq${process.pid}r`, B = `nwq${process.pid}b`;
const HOST_B = '10.213.10.2';
const sh = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, ...args: string[]) => sh('netns', 'exec', ns, ...args);
const kids: ChildProcess[] = [];
let skip: string | false = false;
let dir = '';
let snap: Snapshot;

/** Starts a peer in a namespace and waits for its first line. */
async function peerIn(ns: string, script: string, args: string[]): Promise<ChildProcess> {
  const c = spawn('ip', ['netns', 'exec', ns, process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  kids.push(c);
  const rl = readline.createInterface({ input: c.stdout! });
  await new Promise<void>((resolve, reject) => { rl.once('line', () => resolve()); c.once('exit', (code) => reject(new Error(`${script} exited ${code}`))); });
  return c;
}

before(async () => {
  try { for (const ns of [A, R, B]) sh('netns', 'add', ns); } catch (e) {
    skip = `cannot create network namespaces here: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  // A (the machine watched) — R (a router) — B (the far host).
  sh('link', 'add', 'nwqa', 'netns', A, 'type', 'veth', 'peer', 'name', 'nwqr1', 'netns', R);
  sh('link', 'add', 'nwqr2', 'netns', R, 'type', 'veth', 'peer', 'name', 'nwqb', 'netns', B);
  for (const [ns, dev, addr] of [[A, 'nwqa', '10.213.9.2/24'], [R, 'nwqr1', '10.213.9.1/24'], [R, 'nwqr2', '10.213.10.1/24'], [B, 'nwqb', `${HOST_B}/24`]] as const) {
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    inNs(ns, 'ip', 'addr', 'add', addr, 'dev', dev);
    inNs(ns, 'ip', 'link', 'set', dev, 'up');
  }
  inNs(R, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  inNs(A, 'ip', 'route', 'add', 'default', 'via', '10.213.9.1');
  inNs(B, 'ip', 'route', 'add', 'default', 'via', '10.213.10.1');
  // netem is not in this kernel; htb is. On the router, port 9002's packets go through a 1 Mbit/s class
  // with a 60-packet queue (up to ~700 ms of queueing, then tail drops), everything else at 10 Gbit/s:
  // a congested, bufferbloated uplink for one app only. The drops happen past A, so A's TCP resends.
  const tc = (...a: string[]) => inNs(R, 'tc', ...a);
  tc('qdisc', 'add', 'dev', 'nwqr2', 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000');
  tc('class', 'add', 'dev', 'nwqr2', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit');
  tc('class', 'add', 'dev', 'nwqr2', 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '1mbit', 'ceil', '1mbit');
  tc('qdisc', 'add', 'dev', 'nwqr2', 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '8');
  tc('filter', 'add', 'dev', 'nwqr2', 'parent', '1:', 'protocol', 'ip', 'u32', 'match', 'ip', 'dport', '9002', '0xffff', 'flowid', '1:20');
  // Two programs, two apps: the identity of a node program is its script.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-quality-'));
  const peer = path.join(ROOT, 'test/integration/peers/tcp-stream.ts');
  for (const name of ['good-uploader.ts', 'bad-uploader.ts']) fs.copyFileSync(peer, path.join(dir, name));
  await peerIn(B, peer, ['listen', HOST_B, '9001']);
  await peerIn(B, peer, ['listen', HOST_B, '9002']);
  await peerIn(A, path.join(dir, 'good-uploader.ts'), ['send', HOST_B, '9001', '400000']);
  await peerIn(A, path.join(dir, 'bad-uploader.ts'), ['send', HOST_B, '9002', '400000']);
  await new Promise((r) => setTimeout(r, 4000)); // a few hundred segments each, and RTT estimates settled
  const out = execFileSync('ip', ['netns', 'exec', A, process.execPath, path.join(ROOT, 'bin/netwatch.js'), 'snapshot', '--json', '--no-probes'], { maxBuffer: 64 << 20 });
  snap = SnapshotSchema.parse(JSON.parse(out.toString()));
});

after(() => {
  for (const c of kids) c.kill();
  for (const ns of [A, R, B]) { try { sh('netns', 'del', ns); } catch { /* was not made */ } }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the app behind a congested 1 Mbit/s queue is flagged with its RTT and retransmit share; the other is not', (t) => {
  if (skip) return t.skip(skip);
  const app = (script: string): AppUsage => {
    const a = snap.apps.find((x) => x.id.endsWith(script));
    assert.ok(a, `${script} listed; apps: ${snap.apps.map((x) => x.id).join(', ')}`);
    return a;
  };
  const bad = app('bad-uploader.ts').quality, good = app('good-uploader.ts').quality;
  assert.ok(bad && good, 'both have an established external socket');
  const seen = JSON.stringify({ bad, good });
  // Measured here: bad p50 1.4–1.6 s (the queue, and retransmission timeouts), 0.2–2.1 % resent; good 0.07 ms, none.
  assert.ok(bad.rttP50Ms >= 100, seen);
  assert.ok(bad.retransmitPct !== null && bad.retransmitPct > 0, seen);
  assert.ok(bad.segmentsSent >= 100 && good.segmentsSent >= 100, seen);
  assert.ok(bad.poor !== null, seen);
  assert.ok(good.rttP95Ms < 20, seen);
  assert.ok(good.retransmitPct !== null && good.retransmitPct < 1, seen); // seen: 0, once 0.06 % (one segment)
  assert.equal(good.poor, null, seen);
});
