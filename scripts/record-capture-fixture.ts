// Records test/fixtures/linux/netwatch-record-capture-portsets--netns.txt: `netwatch record FILE
// --interval 0.5 --no-probes --port-set hostd=9981/tcp,9984/udp` (every snapshot with its socket list,
// one JSON per line) in network namespace A, where the packet capture runs, while known traffic runs
// between namespaces this script makes (nothing leaves them):
//   A  engine; servers on 9981/tcp and 9984/udp (port set "hostd"), and 9990/tcp (not in the set)
//   B  dnsmasq for nw.test; a TCP server on 7001; clients to A's 9981/tcp and 9990/tcp
//   C  a TCP server on 7001; a UDP client to A's 9984/udp
// From A: dig for h1, h2, =cmd and -cmd.nw.test (the last two answered with C's address: names a
// spreadsheet would run; the helper prints '=' as \061, '-' as is) and two names that do not exist
// (NXDOMAIN); TCP uploads to B and C; 5 connects to a closed port on B (refused) and 3 to an address
// routed into B, which drops them (timed out after the helper's 5 s). The export tests (test/unit/collector/export/) run on this recording.
// Needs root, native/build/nw-capture, dnsmasq and dig.
//
// usage: node scripts/record-capture-fixture.ts [OUT]
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SnapshotSchema, type Snapshot } from '../shared/index.ts';
import { ROOT } from '../test/helpers.ts';
import { Lab } from '../test/integration/capture-lab.ts';
import { nextMessage } from '../test/integration/engine-host.ts';

export const CAPTURE_FIXTURE = 'netwatch-record-capture-portsets--netns.txt';
const A = `nwfx${process.pid}a`, B = `nwfx${process.pid}b`, C = `nwfx${process.pid}c`;
const A_B = '10.213.80.2', B_IP = '10.213.80.1', A_C = '10.213.81.2', C_IP = '10.213.81.1', SILENT = '10.213.82.9';
const BIN = path.join(ROOT, 'bin', 'netwatch.js');

/** The connection polls recorded so far (whole lines only), and the capture's state in the last snapshot. */
function progress(file: string): { polls: number; capture: unknown } {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return { polls: 0, capture: null }; }
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Snapshot);
  return { polls: new Set(lines.map((l) => l.connectionsTs).filter((t) => t !== null)).size, capture: lines.at(-1)?.sources.capture ?? null };
}

const run = promisify(execFile);
const inNs = (ns: string, cmd: string, ...args: string[]) => run('ip', ['netns', 'exec', ns, cmd, ...args]);

/** Node in A making `n` connects to host:port, each given `ms` before it counts as timed out: the outcomes seen. */
async function connects(host: string, port: number, n: number, ms: number): Promise<Record<string, number>> {
  const script = `const net = require('node:net');
    const one = () => new Promise((res) => { const s = net.connect({ host: '${host}', port: ${port} }); const t = setTimeout(() => { s.destroy(); res('timeout'); }, ${ms});
      s.once('connect', () => { clearTimeout(t); s.destroy(); res('ok'); }); s.once('error', (e) => { clearTimeout(t); res(e.code); }); });
    Promise.all(Array.from({ length: ${n} }, one)).then((r) => { const o = {}; for (const x of r) o[x] = (o[x] || 0) + 1; console.log(JSON.stringify(o)); });`;
  return JSON.parse((await inNs(A, process.execPath, '-e', script)).stdout) as Record<string, number>;
}

export async function recordCaptureFixture(file: string): Promise<Snapshot[]> {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, packet capture)');
  const lab = new Lab(A, B, C);
  let engine: ChildProcess | null = null;
  try {
    lab.veth([A, 'nwfxab', `${A_B}/24`], [B, 'nwfxba', `${B_IP}/24`]);
    lab.veth([A, 'nwfxac', `${A_C}/24`], [C, 'nwfxca', `${C_IP}/24`]);
    await inNs(A, 'ip', 'route', 'add', '10.213.82.0/24', 'via', B_IP);
    await lab.dnsmasq(B, B_IP, [`address=/h1.nw.test/${B_IP}`, `address=/h2.nw.test/${C_IP}`, `address=/=cmd.nw.test/${C_IP}`, `address=/-cmd.nw.test/${C_IP}`]);
    await lab.peer(B, 'tcp-server', B_IP, 7001, 0);
    await lab.peer(C, 'tcp-server', C_IP, 7001, 0);
    await lab.peer(A, 'tcp-server', '0.0.0.0', 9981, 200_000);
    await lab.peer(A, 'udp-server', '0.0.0.0', 9984, 100);
    await lab.peer(A, 'tcp-server', '0.0.0.0', 9990, 50_000);
    fs.rmSync(file, { force: true });
    engine = spawn('ip', ['netns', 'exec', A, process.execPath, BIN, 'record', file, '--interval', '0.5', '--no-probes', '--port-set', 'hostd=9981/tcp,9984/udp'],
      { stdio: ['ignore', 'inherit', 'inherit'] });
    const polled = async (n: number) => {
      const k = progress(file).polls, until = Date.now() + 20_000;
      while (progress(file).polls < k + n) {
        if (engine!.exitCode !== null || Date.now() > until) throw new Error(`netwatch record made ${progress(file).polls - k} of ${n} polls`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await polled(4);
    const { capture } = progress(file);
    if (JSON.stringify(capture) !== '{"state":"ok"}') throw new Error(`the capture does not run in A: ${JSON.stringify(capture)}`);
    // -q: the name as given, even one starting with '-'.
    for (const name of ['h1.nw.test', 'h2.nw.test', '=cmd.nw.test', '-cmd.nw.test', 'missing1.nw.test', 'missing2.nw.test']) await inNs(A, 'dig', `@${B_IP}`, '+tries=1', '+time=2', '-q', name);
    const clients = [
      await lab.peer(A, 'tcp-client', B_IP, 7001, 1_000_000, 2000),
      await lab.peer(A, 'tcp-client', C_IP, 7001, 500_000, 2000),
      await lab.peer(B, 'tcp-client', A_B, 9981, 300_000, 2000),
      await lab.peer(B, 'tcp-client', A_B, 9990, 100_000, 2000),
      await lab.peer(C, 'udp-client', A_C, 9984, 200_000, 2000),
    ];
    await polled(2); // the clients' sockets listed before a byte moves
    const done = clients.map((c) => nextMessage<{ sent: number; received: number }>(c));
    for (const c of clients) c.send({ go: true });
    const [refused, silent] = await Promise.all([connects(B_IP, 9, 5, 3000), connects(SILENT, 80, 3, 1500)]);
    const results = await Promise.all(done);
    console.error(`clients sent/received ${results.map((r) => `${r.sent}/${r.received}`).join(', ')}; closed port ${JSON.stringify(refused)}, silent ${JSON.stringify(silent)}`);
    // The helper reports an unanswered SYN 5 s after it was sent; then two more polls.
    await new Promise((r) => setTimeout(r, 5500));
    await polled(2);
    const exited = new Promise<number | null>((res) => engine!.once('exit', (code) => res(code)));
    engine.kill('SIGINT'); // record closes the file and exits 0
    if (await exited !== 0) throw new Error('netwatch record failed');
  } finally {
    engine?.kill();
    lab.cleanup();
  }
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => SnapshotSchema.parse(JSON.parse(l)));
}

if (import.meta.main) {
  const file = process.argv[2] ?? path.join(ROOT, 'test', 'fixtures', 'linux', CAPTURE_FIXTURE);
  const snaps = await recordCaptureFixture(file);
  const last = snaps.at(-1)!;
  console.error(`${snaps.length} snapshots in ${file}: ${last.capture?.hosts.length} hosts, ${last.capture?.services.length} service rows, `
    + `connects ${JSON.stringify(last.connects?.total)}, dns ${JSON.stringify(last.capture?.dns)}`);
}
