// `netwatch`: the engine headless. `snapshot --json` prints one full snapshot; `watch --jsonl` streams.
import { parseArgs } from 'node:util';
import { defaultConfig, mergeConfig, type Snapshot } from '../../shared/index.ts';
import { nodeOs } from './os.ts';
import { createSources } from './platform.ts';
import { Engine } from './engine/engine.ts';

const USAGE = `usage:
  netwatch snapshot --json [--no-probes]            one snapshot, after two samples so rates are real
  netwatch watch --jsonl [--interval S] [--no-probes]  a "system" line per cycle, then one "socket" line each
options:
  --no-probes   do not ping the gateway or query the DNS server
  --interval S  seconds between cycles (default 1)`;

/** The JSON Lines records of one cycle: a header, then one line per socket. */
export function jsonlRecords(s: Snapshot): object[] {
  const ts = s.connectionsTs ?? s.ts;
  const header = {
    type: 'system', ts, interval_ms: s.intervalMs, total_sockets: s.totalSockets,
    state_counts: Object.entries(s.tcpStates).map(([state, count]) => ({ state, count })),
    rx_bps: s.interfaces.filter((i) => i.type !== 'Loopback').reduce((a, i) => a + i.rxBps, 0),
    tx_bps: s.interfaces.filter((i) => i.type !== 'Loopback').reduce((a, i) => a + i.txBps, 0),
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
      options: { json: { type: 'boolean' }, jsonl: { type: 'boolean' }, interval: { type: 'string' }, 'no-probes': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  const config = mergeConfig(defaultConfig(), { intervalMs, connectionsVisibleMs: Math.max(500, intervalMs), probes: !args.values['no-probes'] });
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });

  if (cmd === 'snapshot') {
    if (!args.values.json) { console.error('snapshot: only --json output exists'); return 2; }
    const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config, emit: () => {} });
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
      sources: createSources(nodeOs), os: nodeOs, config,
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
  console.error(`unknown command: ${cmd}\n${USAGE}`);
  return 2;
}
