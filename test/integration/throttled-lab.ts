// A lab of three network namespaces for connection-quality tests: A (the machine NetWatch watches) —
// R (a router) — B (a far host). On R, TCP to B's port 9002 goes through a 1 Mbit/s class with an
// 8-packet queue (queueing delay, then tail drops past A, so A's TCP resends); everything else at
// 10 Gbit/s. netem is not in this kernel; htb and u32 are. No packet leaves this machine.
// In A run two uploaders, `good-uploader.ts` (to 9001) and `bad-uploader.ts` (to 9002): two apps,
// since a node program's identity is its script.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from '../helpers.ts';

export const HOST_B = '10.213.10.2';
const sh = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export interface ThrottledLab {
  /** Runs a command in namespace A and returns its stdout. */
  inA(cmd: string, args: string[], opts?: { maxBuffer?: number }): Buffer;
  stop(): void;
}

/** Builds the lab and starts the traffic; rejects with the reason where namespaces cannot be made. */
export async function throttledLab(ratePerApp = 400_000): Promise<ThrottledLab> {
  const tag = `nwq${process.pid}`;
  const [A, R, B] = [`${tag}a`, `${tag}r`, `${tag}b`];
  const kids: ChildProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-quality-'));
  const stop = () => {
    for (const c of kids) c.kill();
    for (const ns of [A, R, B]) { try { sh('netns', 'del', ns); } catch { /* was not made */ } }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const inNs = (ns: string, ...args: string[]) => sh('netns', 'exec', ns, ...args);
  try {
    for (const ns of [A, R, B]) sh('netns', 'add', ns);
    sh('link', 'add', `${tag}a0`, 'netns', A, 'type', 'veth', 'peer', 'name', `${tag}r1`, 'netns', R);
    sh('link', 'add', `${tag}r2`, 'netns', R, 'type', 'veth', 'peer', 'name', `${tag}b0`, 'netns', B);
    for (const [ns, dev, addr] of [[A, `${tag}a0`, '10.213.9.2/24'], [R, `${tag}r1`, '10.213.9.1/24'], [R, `${tag}r2`, '10.213.10.1/24'], [B, `${tag}b0`, `${HOST_B}/24`]] as const) {
      inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
      inNs(ns, 'ip', 'addr', 'add', addr, 'dev', dev);
      inNs(ns, 'ip', 'link', 'set', dev, 'up');
    }
    inNs(R, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    inNs(A, 'ip', 'route', 'add', 'default', 'via', '10.213.9.1');
    inNs(B, 'ip', 'route', 'add', 'default', 'via', '10.213.10.1');
    const tc = (...a: string[]) => inNs(R, 'tc', ...a);
    tc('qdisc', 'add', 'dev', `${tag}r2`, 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000');
    tc('class', 'add', 'dev', `${tag}r2`, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit');
    tc('class', 'add', 'dev', `${tag}r2`, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '1mbit', 'ceil', '1mbit');
    tc('qdisc', 'add', 'dev', `${tag}r2`, 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '8');
    tc('filter', 'add', 'dev', `${tag}r2`, 'parent', '1:', 'protocol', 'ip', 'u32', 'match', 'ip', 'dport', '9002', '0xffff', 'flowid', '1:20');
    const peer = path.join(ROOT, 'test/integration/peers/tcp-stream.ts');
    for (const name of ['good-uploader.ts', 'bad-uploader.ts']) fs.copyFileSync(peer, path.join(dir, name));
    const start = async (ns: string, script: string, args: string[]) => {
      const c = spawn('ip', ['netns', 'exec', ns, process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      kids.push(c);
      const rl = readline.createInterface({ input: c.stdout! });
      await new Promise<void>((resolve, reject) => { rl.once('line', () => resolve()); c.once('exit', (code) => reject(new Error(`${script} exited ${code}`))); });
    };
    await start(B, peer, ['listen', HOST_B, '9001']);
    await start(B, peer, ['listen', HOST_B, '9002']);
    await start(A, path.join(dir, 'good-uploader.ts'), ['send', HOST_B, '9001', String(ratePerApp)]);
    await start(A, path.join(dir, 'bad-uploader.ts'), ['send', HOST_B, '9002', String(ratePerApp)]);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    inA: (cmd, args, opts) => execFileSync('ip', ['netns', 'exec', A, cmd, ...args], { maxBuffer: opts?.maxBuffer ?? 64 << 20 }),
    stop,
  };
}
