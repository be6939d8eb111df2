// Namespaces, veth pairs and a dnsmasq for the capture tests (capture-netns, capture-dns-netns, the
// capture e2e): everything stays inside namespaces the test makes, and cleanup() removes them.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { nextMessage } from './engine-host.ts';

export const ipCmd = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
/** Resolves when `child` has printed a line matching `re` on the given stream. */
export const printed = (child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp) => new Promise<void>((res, rej) => {
  let text = '';
  child[stream]!.on('data', (d: Buffer) => { text += d.toString(); if (re.test(text)) res(); });
  child.once('exit', (c) => rej(new Error(`${child.spawnfile} exited ${c}: ${text.slice(0, 300)}`)));
});

export const HELPER = path.join(ROOT, 'native', 'build', 'nw-capture');

/** Why a capture lab test cannot run here (not root, helper not built, a tool missing), or false. */
export function labSkip(tools: string[]): string | false {
  if (process.getuid?.() !== 0) return 'needs root (namespaces, capture)';
  if (!fs.existsSync(HELPER)) return 'nw-capture not built (libpcap-dev missing)';
  const missing = tools.filter((c) => !has(c));
  return missing.length ? `not installed: ${missing.join(', ')}` : false;
}

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

  /**
   * nw-capture (--serve) and tshark (writing `pcap`) on `dev` in `ns`, both capturing: tshark says
   * "Capturing on" before its dumpcap sees packets (it missed the first ~30 queries), so `probe.nw.test`
   * is asked of `server` until tshark prints it (up to ~60 s: with the cores busy it took over 15 s).
   * Leave probes out of the counts. `finish()` takes the helper's last report and stops both: its output.
   */
  async dnsCaptures(ns: string, dev: string, server: string, pcap: string): Promise<{ finish(): Promise<string> }> {
    const tshark = spawn('ip', ['netns', 'exec', ns, 'tshark', '-i', dev, '-f', 'udp port 53', '-w', pcap, '-P', '-l'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const helper = spawn('ip', ['netns', 'exec', ns, HELPER, '--serve', '-i', dev], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.children.push(tshark, helper);
    let out = '';
    helper.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    await printed(helper, 'stdout', /^H\t/);
    let ready = false;
    void printed(tshark, 'stdout', /probe\.nw\.test/).then(() => { ready = true; }, () => { /* said below */ });
    for (let i = 0; i < 300 && !ready; i++) {
      execFileSync('ip', ['netns', 'exec', ns, 'dig', `@${server}`, '+tries=1', '+time=1', 'probe.nw.test'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) throw new Error('tshark never saw a probe');
    return {
      finish: async () => {
        const done = printed(helper, 'stdout', /\n\.\n$/);
        helper.stdin!.write('\n');
        await done;
        helper.stdin!.end();
        tshark.kill('SIGINT');
        await new Promise((r) => tshark.once('exit', r));
        return out;
      },
    };
  }

  cleanup(): void {
    for (const c of this.children.reverse()) c.kill();
    for (const ns of this.namespaces) { try { ipCmd('netns', 'del', ns); } catch { /* gone */ } }
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
