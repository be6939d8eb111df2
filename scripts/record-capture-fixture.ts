// Records test/fixtures/linux/netwatch-record-capture-portsets--netns.txt: the real engine, as
// `netwatch record` runs it (every snapshot with its socket list, one JSON per line), in network
// namespace A with the packet capture on and a port set in its config, while known traffic runs
// between namespaces this script makes (nothing leaves them):
//   A  engine; servers on 9981/tcp and 9984/udp (port set "hostd"), and 9990/tcp (not in the set)
//   B  dnsmasq for nw.test; a TCP server on 7001; clients to A's 9981/tcp and 9990/tcp
//   C  a TCP server on 7001; a UDP client to A's 9984/udp
// From A: dig for h1, h2, =cmd and -cmd.nw.test (the last two answered with C's address: names a
// spreadsheet would run; the helper prints '=' as \061, '-' as is) and two names that do not exist
// (NXDOMAIN); TCP uploads to B and C; 5 connects to a
// closed port on B (refused) and 3 to an address routed into B, which drops them (timed out after
// the helper's 5 s). The export tests (test/unit/collector/export/) run on this recording.
// Needs root, native/build/nw-capture, dnsmasq and dig.
//
// usage: node scripts/record-capture-fixture.ts [OUT]
import { execFile, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultConfig, mergeConfig, SnapshotSchema, type EngineConfigPatch, type Snapshot } from '../shared/index.ts';
import { ENGINE_EXEC_ARGV } from '../shared/engine-runtime.ts';
import { ROOT } from '../test/helpers.ts';
import { Lab } from '../test/integration/capture-lab.ts';
import { nextMessage } from '../test/integration/engine-host.ts';

export const CAPTURE_FIXTURE = 'netwatch-record-capture-portsets--netns.txt';
const A = `nwfx${process.pid}a`, B = `nwfx${process.pid}b`, C = `nwfx${process.pid}c`;
const A_B = '10.213.80.2', B_IP = '10.213.80.1', A_C = '10.213.81.2', C_IP = '10.213.81.1', SILENT = '10.213.82.9';
const PORT_SET = { name: 'hostd', ports: [{ port: 9981, protocol: 'tcp' as const }, { port: 9984, protocol: 'udp' as const }] };
const CONFIG: EngineConfigPatch = { probes: false, intervalMs: 500, connectionsVisibleMs: 1000, portSets: [PORT_SET] };

/**
 * In namespace A: the engine as cli.ts `record` builds it (listInSnapshots, visible), with CONFIG,
 * appending each snapshot to the file; the parent is told of every snapshot's connection poll and
 * capture state, and {stop} ends it.
 */
async function engineChild(file: string): Promise<void> {
  const { Engine } = await import('../electron/collector/engine/engine.ts');
  const { createSources } = await import('../electron/collector/platform.ts');
  const { nodeOs } = await import('../electron/collector/os.ts');
  const { JsonlFile } = await import('../electron/collector/jsonl-file.ts');
  const out = new JsonlFile(file);
  const engine = new Engine({
    sources: createSources(nodeOs), os: nodeOs, config: mergeConfig(defaultConfig(), CONFIG), listInSnapshots: true, historyPath: null,
    emit: (m) => {
      if (m.type !== 'snapshot') return;
      const failure = out.append(JSON.stringify(m.snapshot));
      if (failure !== null) throw new Error(failure);
      process.send!({ connectionsTs: m.snapshot.connectionsTs, capture: m.snapshot.sources.capture });
    },
  });
  engine.setVisible(true);
  process.once('message', () => { engine.stop(); out.close(); process.send!({ stopped: out.lines }); process.disconnect(); });
  engine.start();
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
    engine = fork(import.meta.filename, ['--engine', file], {
      execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const polls: number[] = [];
    let capture: unknown = null;
    engine.on('message', (m: { connectionsTs?: number | null; capture?: unknown }) => {
      if (m.connectionsTs && m.connectionsTs !== polls.at(-1)) polls.push(m.connectionsTs);
      if (m.capture) capture = m.capture;
    });
    const polled = (n: number) => new Promise<void>((res) => { const k = polls.length; const t = setInterval(() => { if (polls.length >= k + n) { clearInterval(t); res(); } }, 50); });
    await polled(3);
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
    const stopped = new Promise<void>((res) => engine!.on('message', (m: { stopped?: number }) => { if (m.stopped !== undefined) res(); }));
    engine.send({ stop: true });
    await stopped;
  } finally {
    engine?.kill();
    lab.cleanup();
  }
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => SnapshotSchema.parse(JSON.parse(l)));
}

if (import.meta.main) {
  if (process.argv[2] === '--engine') await engineChild(process.argv[3]!);
  else {
    const file = process.argv[2] ?? path.join(ROOT, 'test', 'fixtures', 'linux', CAPTURE_FIXTURE);
    const snaps = await recordCaptureFixture(file);
    const last = snaps.at(-1)!;
    console.error(`recorded ${snaps.length} snapshots to ${file}: ${last.capture?.hosts.length} hosts, ${last.capture?.services.length} service rows, `
      + `connects ${JSON.stringify(last.connects?.total)}, dns ${JSON.stringify(last.capture?.dns)}`);
  }
}
