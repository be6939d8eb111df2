// npm run bench (part) — what packet capture costs (issue 13): nw-capture plus the engine's reading of
// its reports, at ~10k and ~100k packets/s of UDP on a veth between two namespaces this bench makes,
// beside nethogs watching the same traffic and `tcpdump -w /dev/null` as the floor (one tool at a time,
// the same traffic each time). CPU % is of one core, from /proc/<pid>/stat over the traffic window.
// Needs root, native/build/nw-capture, nethogs and tcpdump (Debian: apt-get install nethogs tcpdump).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeOs, type OsIO } from '../electron/collector/os.ts';
import { CaptureClient } from '../electron/collector/capture-client.ts';
import { DEFAULT_CAPTURE } from '../electron/collector/platform.ts';
import { cpuMs } from './cpu.ts';
import { ROOT, spawnReady } from './lab.ts';

const QUICK = process.argv.includes('--quick');
/** --smoke: checks the bench's own mechanics at low rates (2 s, 1k and 2k packets/s); not a measurement. */
const SMOKE = process.argv.includes('--smoke');
const SECONDS = SMOKE ? 2 : QUICK ? 5 : 15;
const RATES = SMOKE ? [1000, 2000] : [10_000, 100_000];
const A = `nwcb${process.pid}a`, B = `nwcb${process.pid}b`, DEV = 'nwcba', DST = '10.213.90.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const has = (cmd: string) => { try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; } };
const ip = (...a: string[]) => execFileSync('ip', a, { stdio: 'ignore' });

const missing = [process.getuid?.() !== 0 && 'root', !fs.existsSync(DEFAULT_CAPTURE) && 'native/build/nw-capture (libpcap-dev, npm run build:native)',
  !has('nethogs') && 'nethogs (apt-get install nethogs)', !has('tcpdump') && 'tcpdump (apt-get install tcpdump)', !has('cc') && 'a C compiler'].filter(Boolean);
if (missing.length) { console.error(`capture bench needs: ${missing.join(', ')}`); process.exit(1); }

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-capbench-'));
const flood = path.join(dir, 'udp-flood');
execFileSync('cc', ['-O2', '-o', flood, path.join(ROOT, 'bench', 'udp-flood.c')]);
ip('netns', 'add', A); ip('netns', 'add', B);
const children: ChildProcess[] = [];
const cleanup = () => { for (const c of children) c.kill(); for (const ns of [A, B]) { try { ip('netns', 'del', ns); } catch { /* gone */ } } fs.rmSync(dir, { recursive: true, force: true }); };
process.on('exit', cleanup);

/** The pid of the process whose command line has all of `words`, once `ip netns exec` has exec'd it. */
async function pidOf(words: string[]): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    for (const p of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try { const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'); if (words.every((w) => cmd.includes(w)) && cmd[0] !== 'ip') return Number(p); } catch { /* exited */ }
    }
    await sleep(100);
  }
  throw new Error(`no process ${words.join(' ')}`);
}

interface Row { tool: string; rate: number; pps: number; cpuPct: number; drops: number | null }

/** Runs the flood for SECONDS with `tool` watching; CPU of `pid` (and of this process for the engine side). */
async function measure(tool: string, rate: number, pid: number, duringEach?: () => Promise<void>): Promise<{ pps: number; cpuPct: number; ownPct: number }> {
  await sleep(1000);
  const c0 = cpuMs(pid).self, own0 = process.cpuUsage();
  const send = spawn('ip', ['netns', 'exec', A, flood, 'send', DST, '9000', String(rate), String(SECONDS), '64'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  send.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const ended = new Promise<void>((r) => send.once('exit', () => r()));
  let done = false;
  void ended.then(() => { done = true; });
  while (!done) { if (duringEach) await duringEach(); await Promise.race([sleep(1000), ended]); }
  if (duringEach) { await sleep(300); await duringEach(); } // the last block the helper hands over
  const own = process.cpuUsage(own0);
  const cpu = cpuMs(pid).self - c0;
  return { pps: Number(out.trim()) / SECONDS, cpuPct: (cpu / (SECONDS * 1000)) * 100, ownPct: ((own.user + own.system) / 1000 / (SECONDS * 1000)) * 100 };
}

try {
  ip('link', 'add', DEV, 'netns', A, 'type', 'veth', 'peer', 'name', 'nwcbb', 'netns', B);
  for (const [ns, dev, addr] of [[A, DEV, '10.213.90.2/24'], [B, 'nwcbb', `${DST}/24`]] as const) {
    ip('-n', ns, 'link', 'set', 'lo', 'up'); ip('-n', ns, 'addr', 'add', addr, 'dev', dev); ip('-n', ns, 'link', 'set', dev, 'up');
  }
  children.push(await spawnReady(['ip', 'netns', 'exec', B, flood, 'sink', DST, '9000']));
  const rows: Row[] = [];
  for (const rate of RATES) {
    // nw-capture, read once a second as the engine's capture tier reads it (the engine side is this process).
    const inA: OsIO = { ...nodeOs, spawnLines: (cmd, args, onLine, onExit) => nodeOs.spawnLines('ip', ['netns', 'exec', A, cmd, ...args], onLine, onExit) };
    const client = new CaptureClient(inA, DEFAULT_CAPTURE, { iface: DEV });
    const why = await client.start();
    if (why) throw new Error(why);
    let drops = 0, packets = 0;
    const m = await measure('nw-capture', rate, await pidOf([DEFAULT_CAPTURE, DEV]), async () => {
      const r = await client.report();
      if (r.ok) { drops += (r.report.stats.kernelDrops ?? 0) + (r.report.stats.interfaceDrops ?? 0); packets += r.report.stats.packets; }
    });
    client.stop();
    rows.push({ tool: 'nw-capture (helper)', rate, pps: m.pps, cpuPct: m.cpuPct, drops });
    rows.push({ tool: 'nw-capture + engine', rate, pps: m.pps, cpuPct: m.cpuPct + m.ownPct, drops });
    console.error(`  nw-capture saw ${packets} packets at ${rate}/s`);

    const hogs = spawn('ip', ['netns', 'exec', A, 'nethogs', '-t', '-C', '-d', '1', DEV], { stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(hogs);
    rows.push({ tool: 'nethogs -t -C', rate, ...(await measure('nethogs', rate, await pidOf(['nethogs', DEV]))), drops: null });
    hogs.kill();

    const dump = spawn('ip', ['netns', 'exec', A, 'tcpdump', '-i', DEV, '-n', '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(dump);
    let err = '';
    dump.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    const t = await measure('tcpdump', rate, await pidOf(['tcpdump', DEV]));
    const exited = new Promise((r) => dump.once('exit', r));
    dump.kill('SIGINT');
    await exited;
    rows.push({ tool: 'tcpdump -w /dev/null', rate, ...t, drops: Number(/(\d+) packets? dropped by kernel/.exec(err)?.[1] ?? NaN) });
  }
  console.log(`\nPacket capture cost (${SECONDS} s per tool and rate, UDP 64-byte payload on a veth; % of one core):`);
  console.log('tool                    target pps   measured pps   CPU %   drops');
  for (const r of rows) console.log(`${r.tool.padEnd(24)}${String(r.rate).padStart(10)}${r.pps.toFixed(0).padStart(15)}${r.cpuPct.toFixed(2).padStart(8)}${String(r.drops ?? '—').padStart(8)}`);
  const at = (tool: string) => rows.find((r) => r.tool === tool && r.rate === RATES.at(-1))!;
  const ours = at('nw-capture + engine'), hogs = at('nethogs -t -C');
  console.log(`\nat ${RATES.at(-1)} packets/s${SMOKE ? ' (smoke run: not a measurement)' : ''}: nw-capture + engine ${ours.cpuPct.toFixed(2)} % of a core (target ≤ 5 %), ${(hogs.cpuPct / Math.max(ours.cpuPct, 1e-9)).toFixed(1)}× less than nethogs (target ≥ 3×), drops ${ours.drops} (target 0)`);
  console.log(JSON.stringify({ captureBench: rows }));
} finally {
  cleanup();
  process.removeListener('exit', cleanup);
}
