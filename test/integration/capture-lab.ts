// Namespaces, veth pairs and a dnsmasq for the capture tests (capture-netns, capture-dns-netns, the
// capture e2e): everything stays inside namespaces the test makes, and cleanup() removes them.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { nextMessage } from './engine-host.ts';

export const ipCmd = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
export const has = (cmd: string) => { try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; } };

export class Lab {
  readonly namespaces: string[] = [];
  readonly children: ChildProcess[] = [];
  dir = '';

  /** Makes the namespaces (lo up in each); throws when this machine cannot. */
  constructor(...names: string[]) {
    for (const ns of names) { ipCmd('netns', 'add', ns); this.namespaces.push(ns); ipCmd('-n', ns, 'link', 'set', 'lo', 'up'); }
  }

  /** A veth pair between two namespaces, each end with its address (CIDR) and up. */
  veth(a: [ns: string, dev: string, cidr: string], b: [ns: string, dev: string, cidr: string]): void {
    ipCmd('link', 'add', a[1], 'netns', a[0], 'type', 'veth', 'peer', 'name', b[1], 'netns', b[0]);
    for (const [ns, dev, cidr] of [a, b]) { ipCmd('-n', ns, 'addr', 'add', cidr, 'dev', dev); ipCmd('-n', ns, 'link', 'set', dev, 'up'); }
  }

  /** A directory other users may enter (dnsmasq drops to its own user; tshark's dumpcap writes there). */
  tmp(): string {
    if (!this.dir) { this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nwcap-lab-')); fs.chmodSync(this.dir, 0o755); }
    return this.dir;
  }

  /** dnsmasq in `ns` on `listen`, answering only from `lines` (forwarding nothing: other names under nw.test are NXDOMAIN). */
  async dnsmasq(ns: string, listen: string, lines: string[]): Promise<void> {
    const conf = path.join(this.tmp(), `dnsmasq-${ns}.conf`);
    fs.writeFileSync(conf, ['no-resolv', 'no-hosts', 'bind-interfaces', `listen-address=${listen}`, 'local=/nw.test/', ...lines, ''].join('\n'));
    const d = spawn('ip', ['netns', 'exec', ns, 'dnsmasq', '--keep-in-foreground', `--conf-file=${conf}`, '--pid-file=', '--log-facility=-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.children.push(d);
    await new Promise<void>((res, rej) => {
      d.stderr!.on('data', (b: Buffer) => { if (/started/.test(b.toString())) res(); });
      d.once('exit', (c) => rej(new Error(`dnsmasq exited ${c}`)));
    });
  }

  /** A peers/service-peer.ts process in `ns`, once it says it is ready. */
  async peer(ns: string, ...args: Array<string | number>): Promise<ChildProcess> {
    const c = fork(path.join(ROOT, 'test', 'integration', 'peers', 'service-peer.ts'), args.map(String),
      { execPath: 'ip', execArgv: ['netns', 'exec', ns, process.execPath, ...process.execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.children.push(c);
    await nextMessage(c);
    return c;
  }

  cleanup(): void {
    for (const c of this.children.reverse()) c.kill();
    for (const ns of this.namespaces) { try { ipCmd('netns', 'del', ns); } catch { /* gone */ } }
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
