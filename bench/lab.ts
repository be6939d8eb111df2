// The bench's lab: processes holding many sockets, and a namespace pair whose "gateway" and DNS are
// ours, so probes and traffic never leave the machine. Used by the bench and scripts/demo-recording.ts.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Namespace A (10.213.9.2) routes via B (10.213.9.1), which answers DNS. */
export const LAB_GATEWAY = '10.213.9.1';

/** Starts a lab process and resolves once it prints a line starting with "ready". */
export function spawnReady(cmd: string[]): Promise<ChildProcess> {
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).startsWith('ready')) resolve(child); });
    child.once('exit', (c) => reject(new Error(`${cmd.join(' ')} exited ${c}`)));
  });
}

/** A process holding `pairs` loopback TCP connections (2 × pairs sockets), optionally in a namespace. */
export function holder(pairs: number, prefix: string[] = []): Promise<ChildProcess> {
  return spawnReady([...prefix, process.execPath, path.join(ROOT, 'bench/socket-holder.ts'), String(pairs)]);
}

/** A namespace pair so the engine can probe "its" gateway and DNS without a packet leaving the machine. */
export function makeNetns(): { prefix: string[]; peerPrefix: string[]; cleanup: () => void } | null {
  const A = `nwb${process.pid}a`, B = `nwb${process.pid}b`;
  const ip = (...a: string[]) => execFileSync('ip', a, { stdio: 'ignore' });
  try {
    ip('netns', 'add', A); ip('netns', 'add', B);
    ip('link', 'add', 'nwba', 'netns', A, 'type', 'veth', 'peer', 'name', 'nwbb', 'netns', B);
    for (const [ns, dev, addr] of [[A, 'nwba', '10.213.9.2/24'], [B, 'nwbb', '10.213.9.1/24']] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up'); ip('-n', ns, 'addr', 'add', addr, 'dev', dev); ip('-n', ns, 'link', 'set', dev, 'up');
    }
    ip('-n', A, 'route', 'add', 'default', 'via', '10.213.9.1');
    fs.mkdirSync(`/etc/netns/${A}`, { recursive: true });
    fs.writeFileSync(`/etc/netns/${A}/resolv.conf`, 'nameserver 10.213.9.1\n');
    const dns = spawn('ip', ['netns', 'exec', B, process.execPath, path.join(ROOT, 'test/integration/peers/dns-responder.ts'), '10.213.9.1', '53'], { stdio: 'ignore' });
    return {
      prefix: ['ip', 'netns', 'exec', A],
      peerPrefix: ['ip', 'netns', 'exec', B],
      cleanup: () => { dns.kill(); for (const ns of [A, B]) { try { ip('netns', 'del', ns); } catch { /* gone */ } } fs.rmSync(`/etc/netns/${A}`, { recursive: true, force: true }); },
    };
  } catch {
    for (const ns of [A, B]) { try { ip('netns', 'del', ns); } catch { /* not made */ } }
    return null;
  }
}


/**
 * `n` processes, each its own application (a copy of sleep under its own name) holding one loopback
 * socket: bash opens it on fd 3 and execs the copy, which inherits it. ~1 MB of RSS each.
 */
export async function manyApps(n: number): Promise<{ kids: ChildProcess[]; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-apps-'));
  const server = net.createServer((c) => c.on('error', () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const kids: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const exe = path.join(dir, `nwapp-${i}`);
    fs.copyFileSync('/usr/bin/sleep', exe);
    fs.chmodSync(exe, 0o755);
    kids.push(spawn('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; exec ${exe} 900`], { stdio: 'ignore' }));
  }
  return { kids, cleanup: () => { for (const k of kids) k.kill('SIGKILL'); server.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
