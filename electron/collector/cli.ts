// `netwatch`: the engine headless. `snapshot` prints a summary (`--json`: the whole snapshot); `watch --jsonl` streams.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, mergeConfig, totalRates, type Snapshot } from '../../shared/index.ts';
import { nodeOs } from './os.ts';
import { createSources } from './platform.ts';
import { Engine } from './engine/engine.ts';
import { snapshotSummary } from './summary.ts';
import { liveFeed, replayFeed, type Feed } from './serve/feed.ts';
import { createServer, defaultStaticDir, refuse } from './serve/server.ts';
import { ensureDashboard } from './serve/dashboard.ts';

const USAGE = `usage:
  netwatch snapshot [--json] [--no-probes]          one snapshot, after two samples so rates are real
                                                    (a summary; --json: the whole snapshot)
  netwatch watch --jsonl [--interval S] [--no-probes]  a "system" line per cycle, then one "socket" line each
  netwatch record FILE [--interval S] [--duration S] [--no-probes]   full snapshots, one JSON per line
  netwatch serve [--port 9273] [--host 127.0.0.1] [--token T] [--replay FILE] [--no-probes]
                                                    the web dashboard, live or from a recording
  netwatch --help | --version
options:
  --no-probes   do not ping the gateway or query the DNS server
  --interval S  seconds between cycles (default 1)
  --duration S  stop recording after S seconds (default: until Ctrl-C)
  --bandwidth-threshold B   bytes/s per interface and direction that raise a bandwidth alert (default 50000000)
  --token T     required for any --host that is not loopback (16+ characters); open /?token=T`;

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];
const ENGINE: Options = { 'no-probes': { type: 'boolean' }, interval: { type: 'string' }, 'bandwidth-threshold': { type: 'string' } };
/** Each command's own options: an option another command takes is still an error here. */
const COMMANDS: Record<string, { options: Options; positionals: number }> = {
  snapshot: { options: { ...ENGINE, json: { type: 'boolean' } }, positionals: 0 },
  watch: { options: { ...ENGINE, jsonl: { type: 'boolean' } }, positionals: 0 },
  record: { options: { ...ENGINE, duration: { type: 'string' } }, positionals: 1 },
  serve: { options: { ...ENGINE, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, replay: { type: 'string' } }, positionals: 0 },
};

/** The checkout (package.json, dist/) sits two folders up from both electron/collector/cli.ts and dist/collector/cli.js. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = (): string => (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** One line: node:util's messages go on with advice about `--` that does not apply here. */
const usageError = (message: string): number => {
  const line = message.split(/\. (?=[A-Z])/)[0]!.replace(/\.$/, '').replace(/: ([A-Z])(?=[a-z])/, (_, c: string) => `: ${c.toLowerCase()}`);
  console.error(`netwatch: ${line}\n${USAGE}`);
  return 2;
};

/** The JSON Lines records of one cycle: a header, then one line per socket. */
export function jsonlRecords(s: Snapshot): object[] {
  const ts = s.connectionsTs ?? s.ts;
  // The same total as the tray and the popover: bridges and veths would count the same bytes twice.
  const total = totalRates(s.interfaces);
  const header = {
    type: 'system', ts, interval_ms: s.intervalMs, total_sockets: s.totalSockets,
    state_counts: Object.entries(s.tcpStates).map(([state, count]) => ({ state, count })),
    rx_bps: total.rxBps, tx_bps: total.txBps,
    coverage: s.attribution.coverage, sources: s.sources,
  };
  const sockets = s.connections.map((c) => ({
    type: 'socket', ts, proto: c.protocol, local: c.local, remote: c.remote, state: c.state, pid: c.pid,
    command: c.process, inode: c.inode, rtt_us: c.rttUs, bytes_sent: c.bytesSent, bytes_received: c.bytesReceived,
    tx_bps: c.txBps, rx_bps: c.rxBps, cwnd: c.tcp?.cwnd ?? null, retrans: c.tcp?.retransmits ?? null,
  }));
  return [header, ...sockets];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') { console.log(USAGE); return 0; }
  if (cmd === '--version' || cmd === '-V') { console.log(`netwatch ${version()}`); return 0; }
  if (cmd === undefined) { console.error(USAGE); return 2; }
  const spec = COMMANDS[cmd];
  if (!spec) return usageError(cmd.startsWith('-') ? `unknown option '${cmd}'` : `unknown command '${cmd}'`);
  let args;
  try {
    args = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { ...spec.options, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return usageError(`${cmd}: ${(e as Error).message}`);
  }
  const v = args.values as Record<string, string | boolean | undefined>;
  const str = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  if (v['help']) { console.log(USAGE); return 0; }
  if (args.positionals.length > spec.positionals) return usageError(`${cmd}: unexpected argument '${args.positionals[spec.positionals]}'`);
  const seconds = str('interval') === undefined ? 1 : Number(str('interval'));
  if (!(seconds >= 0.25 && seconds <= 3600)) { console.error('--interval takes seconds between 0.25 and 3600'); return 2; }
  const intervalMs = Math.round(seconds * 1000);
  const threshold = str('bandwidth-threshold') === undefined ? undefined : Number(str('bandwidth-threshold'));
  if (threshold !== undefined && !(threshold > 0)) { console.error('--bandwidth-threshold takes bytes/s > 0'); return 2; }
  const config = mergeConfig(defaultConfig(), {
    intervalMs, connectionsVisibleMs: Math.max(500, intervalMs), probes: !v['no-probes'], ...(threshold ? { bandwidthThresholdBps: threshold } : {}),
  });
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });

  if (cmd === 'snapshot') {
    const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config, emit: () => {}, listInSnapshots: true });
    engine.setVisible(true);
    engine.followDestroyEvents();
    await engine.pollAll();
    await sleep(intervalMs);
    await engine.pollAll();
    process.stdout.write(v['json'] ? JSON.stringify(engine.snapshot()) + '\n' : snapshotSummary(engine.snapshot()));
    engine.stop();
    return 0;
  }
  if (cmd === 'watch') {
    if (!v['jsonl']) { console.error('watch: only --jsonl output exists'); return 2; }
    let lastConn: number | null = null;
    const engine = new Engine({
      sources: createSources(nodeOs), os: nodeOs, config, listInSnapshots: true,
      emit: (m) => {
        if (m.type !== 'snapshot' || m.snapshot.connectionsTs === null || m.snapshot.connectionsTs === lastConn) return;
        lastConn = m.snapshot.connectionsTs;
        process.stdout.write(jsonlRecords(m.snapshot).map((r) => JSON.stringify(r)).join('\n') + '\n');
      },
    });
    engine.setVisible(true);
    await new Promise<void>((resolve) => {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { engine.stop(); resolve(); });
      engine.start();
    });
    return 0;
  }
  if (cmd === 'record') {
    const file = args.positionals[0];
    if (!file) return usageError('record: name the file to write');
    const duration = str('duration') === undefined ? Infinity : Number(str('duration'));
    if (!(duration > 0)) { console.error('--duration takes seconds > 0'); return 2; }
    let fd: number;
    try { fd = fs.openSync(file, 'w'); } catch (e) { console.error(`netwatch record: ${(e as Error).message}`); return 2; }
    const out = fs.createWriteStream(file, { fd });
    let frames = 0;
    const engine = new Engine({
      sources: createSources(nodeOs), os: nodeOs, config, listInSnapshots: true,
      emit: (m) => { if (m.type === 'snapshot') { out.write(JSON.stringify(m.snapshot) + '\n'); frames++; } },
    });
    engine.setVisible(true);
    await new Promise<void>((resolve) => {
      const end = () => { engine.stop(); resolve(); };
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, end);
      if (Number.isFinite(duration)) setTimeout(end, duration * 1000);
      engine.start();
    });
    await new Promise<void>((r) => out.end(r));
    console.error(`recorded ${frames} snapshots to ${file}`);
    return 0;
  }
  return serve({ port: str('port'), host: str('host'), token: str('token'), replay: str('replay') }, config);
}

/** Why listen failed, in words: the usual three get a hint, anything else Node's own message. */
function listenFailure(e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE') return 'the port is in use (another netwatch serve?): choose another with --port';
  if (e.code === 'EACCES') return 'permission denied (ports below 1024 need root)';
  if (e.code === 'EADDRNOTAVAIL') return 'no such address on this machine';
  return e.message;
}

async function serve(v: { port?: string; host?: string; token?: string; replay?: string }, config: ReturnType<typeof defaultConfig>): Promise<number> {
  const port = v.port === undefined ? 9273 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error('--port takes 0–65535'); return 2; }
  const host = v.host ?? '127.0.0.1';
  const staticDir = defaultStaticDir();
  const noDashboard = await ensureDashboard(staticDir, ROOT, (l) => console.error(l));
  if (noDashboard) { console.error(`netwatch serve: ${noDashboard}`); return 2; }
  const why = refuse({ host, token: v.token ?? null, staticDir });
  if (why) { console.error(`netwatch serve: ${why}`); return 2; }
  let feed: Feed;
  try {
    feed = v.replay ? replayFeed(v.replay) : liveFeed({ probes: config.probes, bandwidthThresholdBps: config.bandwidthThresholdBps });
  } catch (e) {
    console.error(`netwatch serve: ${(e as Error).message}`);
    return 2;
  }
  const server = createServer({ host, port, token: v.token ?? null, staticDir, feed });
  const failed = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    server.once('error', resolve);
    server.listen(port, host, () => { server.off('error', resolve); resolve(null); });
  });
  if (failed) {
    // close() ends the server's heartbeat timer and the feed (its engine child): nothing keeps the process up.
    server.close();
    console.error(`netwatch serve: cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${listenFailure(failed)}`);
    return 1;
  }
  const addr = server.address() as { port: number };
  const shown = host.includes(':') ? `[${host}]` : host;
  // The first stdout line says where: scripts and tests read it when they asked for port 0.
  console.log(`netwatch serve: http://${shown}:${addr.port}/${v.token ? '?token=…' : ''} (${v.replay ? `replaying ${v.replay}` : 'live engine'})`);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { server.closeAllConnections(); server.close(() => resolve()); });
  });
  return 0;
}
