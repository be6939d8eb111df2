// `netwatch`: the engine headless. `snapshot --json` prints one full snapshot; `watch --jsonl` streams.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { defaultConfig, mergeConfig, totalRates, type Snapshot } from '../../shared/index.ts';
import { nodeOs } from './os.ts';
import { createSources } from './platform.ts';
import { Engine } from './engine/engine.ts';
import { liveFeed, replayFeed, type Feed } from './serve/feed.ts';
import { createServer, defaultStaticDir, refuse } from './serve/server.ts';

const USAGE = `usage:
  netwatch snapshot --json [--no-probes]            one snapshot, after two samples so rates are real
  netwatch watch --jsonl [--interval S] [--no-probes]  a "system" line per cycle, then one "socket" line each
  netwatch record FILE [--interval S] [--duration S] [--no-probes]   full snapshots, one JSON per line
  netwatch serve [--port 9273] [--host 127.0.0.1] [--token T] [--replay FILE] [--no-probes]
                                                    the web dashboard, live or from a recording
options:
  --no-probes   do not ping the gateway or query the DNS server
  --interval S  seconds between cycles (default 1)
  --duration S  stop recording after S seconds (default: until Ctrl-C)
  --bandwidth-threshold B   bytes/s per interface and direction that raise a bandwidth alert (default 50000000)
  --token T     required for any --host that is not loopback (16+ characters); open /?token=T`;

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
  let args;
  try {
    args = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        json: { type: 'boolean' }, jsonl: { type: 'boolean' }, interval: { type: 'string' }, 'no-probes': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        duration: { type: 'string' }, 'bandwidth-threshold': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, replay: { type: 'string' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const cmd = args.positionals[0];
  if (args.values.help || !cmd) { console.log(USAGE); return cmd ? 0 : 2; }
  const seconds = args.values.interval === undefined ? 1 : Number(args.values.interval);
  if (!(seconds >= 0.25 && seconds <= 3600)) { console.error('--interval takes seconds between 0.25 and 3600'); return 2; }
  const intervalMs = Math.round(seconds * 1000);
  const threshold = args.values['bandwidth-threshold'] === undefined ? undefined : Number(args.values['bandwidth-threshold']);
  if (threshold !== undefined && !(threshold > 0)) { console.error('--bandwidth-threshold takes bytes/s > 0'); return 2; }
  const config = mergeConfig(defaultConfig(), {
    intervalMs, connectionsVisibleMs: Math.max(500, intervalMs), probes: !args.values['no-probes'], ...(threshold ? { bandwidthThresholdBps: threshold } : {}),
  });
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });

  if (cmd === 'snapshot') {
    if (!args.values.json) { console.error('snapshot: only --json output exists'); return 2; }
    const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config, emit: () => {}, listInSnapshots: true });
    engine.setVisible(true);
    engine.followDestroyEvents();
    await engine.pollAll();
    await sleep(intervalMs);
    await engine.pollAll();
    process.stdout.write(JSON.stringify(engine.snapshot()) + '\n');
    engine.stop();
    return 0;
  }
  if (cmd === 'watch') {
    if (!args.values.jsonl) { console.error('watch: only --jsonl output exists'); return 2; }
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
    const file = args.positionals[1];
    if (!file) { console.error('record: name the file to write'); return 2; }
    const duration = args.values.duration === undefined ? Infinity : Number(args.values.duration);
    if (!(duration > 0)) { console.error('--duration takes seconds > 0'); return 2; }
    const out = fs.createWriteStream(file, { flags: 'w' });
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
  if (cmd === 'serve') return serve(args.values, config);
  console.error(`unknown command: ${cmd}\n${USAGE}`);
  return 2;
}

async function serve(v: { port?: string; host?: string; token?: string; replay?: string }, config: ReturnType<typeof defaultConfig>): Promise<number> {
  const port = v.port === undefined ? 9273 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error('--port takes 0–65535'); return 2; }
  const host = v.host ?? '127.0.0.1';
  const staticDir = defaultStaticDir();
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
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); }).catch((e: Error) => {
    feed.stop();
    throw new Error(`netwatch serve: cannot listen on ${host}:${port}: ${e.message}`);
  });
  const addr = server.address() as { port: number };
  const shown = host.includes(':') ? `[${host}]` : host;
  // The first stdout line says where: scripts and tests read it when they asked for port 0.
  console.log(`netwatch serve: http://${shown}:${addr.port}/${v.token ? '?token=…' : ''} (${v.replay ? `replaying ${v.replay}` : 'live engine'})`);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { server.closeAllConnections(); server.close(() => resolve()); });
  });
  return 0;
}
