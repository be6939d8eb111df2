// `netwatch watch` (JSONL, CSV, Protocol Buffers) and `netwatch exporter`: the commands of the export
// formats, wired to the engine. SIGINT/SIGTERM end them cleanly (files closed, engine stopped, exit 0);
// SIGHUP reopens the CSV files (logrotate) or re-reads the exporter's token file (rotation).
import { type EngineConfig } from '../../../shared/index.ts';
import { nodeOs } from '../os.ts';
import { createSources } from '../platform.ts';
import { Engine } from '../engine/engine.ts';
import { liveFeed } from '../serve/feed.ts';
import { isLoopbackHost } from '../serve/server.ts';
import { chooseToken, TOKEN_ENV, type TokenFlags } from '../serve/token.ts';
import { cycleRecords, jsonlLine, RECORD_TYPES } from './records.ts';
import { CsvDir } from './csv.ts';
import { ProtobufEncoder } from './protobuf.ts';
import { PromMetrics, parseTopApps } from './metrics.ts';
import { createExporter } from './exporter.ts';

export interface WatchOutputs { jsonl: boolean; protobuf: boolean; csv: string | null }

const stopSignals = (fn: () => void) => { for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, fn); };

export async function runWatch(o: WatchOutputs, config: EngineConfig): Promise<number> {
  if (!o.jsonl && !o.protobuf && o.csv === null) { console.error('watch: choose an output: --jsonl, --protobuf or --csv DIR'); return 2; }
  if (o.jsonl && o.protobuf) { console.error('watch: --jsonl and --protobuf both write to stdout: choose one (--csv DIR goes with either)'); return 2; }
  if (o.protobuf && process.stdout.isTTY) { console.error('watch: --protobuf writes binary: redirect stdout to a file or a pipe'); return 2; }
  let csv: CsvDir | null = null;
  try { if (o.csv !== null) csv = new CsvDir(o.csv, RECORD_TYPES); } catch (e) { console.error(`netwatch watch: ${(e as Error).message}`); return 2; }
  const pb = o.protobuf ? new ProtobufEncoder() : null;
  let lastConn: number | null = null;
  let failure: string | null = null;
  let end = () => {};
  const engine = new Engine({
    sources: createSources(nodeOs), os: nodeOs, config, listInSnapshots: true,
    emit: (m) => {
      // One cycle per connection poll: the ticks in between carry no socket list.
      if (m.type !== 'snapshot' || m.snapshot.connectionsTs === null || m.snapshot.connectionsTs === lastConn || failure !== null) return;
      lastConn = m.snapshot.connectionsTs;
      const recs = cycleRecords(m.snapshot);
      if (o.jsonl) process.stdout.write(recs.map((r) => jsonlLine(r.type, r.row)).join('\n') + '\n');
      if (pb) process.stdout.write(pb.cycle(recs));
      try { csv?.write(recs); } catch (e) { failure = (e as Error).message; end(); }
    },
  });
  engine.setVisible(true);
  const reopen = () => {
    try { csv?.reopen(); } catch (e) { failure = `reopening ${csv!.dir}: ${(e as Error).message}`; end(); }
  };
  process.on('SIGHUP', reopen);
  await new Promise<void>((resolve) => {
    end = () => { engine.stop(); resolve(); };
    stopSignals(end);
    engine.start();
  });
  process.off('SIGHUP', reopen);
  csv?.close();
  if (failure !== null) { console.error(`netwatch watch: stopped: ${failure}`); return 1; }
  if (csv) console.error(`netwatch watch: ${[...csv.rows].map(([t, n]) => `${n} ${t} rows`).join(', ') || 'no rows'} in ${csv.dir}`);
  return 0;
}

export interface ExporterFlags extends TokenFlags { port?: string; host?: string; 'top-apps'?: string }

/**
 * The exporter's token: none needed on loopback unless one is given (the series carry no pid or
 * address); off loopback one must be given, by serve's rules (a file only its owner reads, the
 * environment, or --token with a warning). It is never made up: Prometheus could not know it.
 */
export function exporterToken(v: ExporterFlags, host: string, env: NodeJS.ProcessEnv): { ok: true; token: string | null; warning: string | null } | { ok: false; error: string } {
  const given = v.token !== undefined || v['token-file'] !== undefined || v['no-token'] || Boolean(env[TOKEN_ENV]);
  if (!given) {
    return isLoopbackHost(host) ? { ok: true, token: null, warning: null }
      : { ok: false, error: `refusing to serve metrics on ${host} without a token: give --token-file F or ${TOKEN_ENV} (Prometheus sends it with authorization: credentials_file)` };
  }
  if (v['no-token'] && !isLoopbackHost(host)) return { ok: false, error: '--no-token is for loopback only' };
  const c = chooseToken(v, env);
  if (!c.ok) return c;
  if (c.token !== null && c.token.length < 16) return { ok: false, error: 'the token must be at least 16 characters' };
  return { ok: true, token: c.token, warning: v['no-token'] ? null : c.warning };
}

export async function runExporter(v: ExporterFlags, config: EngineConfig): Promise<number> {
  const port = v.port === undefined ? 9274 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error('--port takes 0–65535'); return 2; }
  const topApps = parseTopApps(v['top-apps']);
  if (topApps === null) { console.error('--top-apps takes 0–1000'); return 2; }
  const host = v.host ?? '127.0.0.1';
  const t = exporterToken(v, host, process.env);
  if (!t.ok) { console.error(`netwatch exporter: ${t.error}`); return 2; }
  if (t.warning) console.error(`netwatch exporter: ${t.warning}`);
  if (!isLoopbackHost(host)) console.error(`netwatch exporter: plain HTTP on ${host}: the token crosses the network readable; put a TLS proxy in front where the network is not trusted`);
  const metrics = new PromMetrics({ topApps });
  const feed = liveFeed({ intervalMs: config.intervalMs, connectionsVisibleMs: config.connectionsVisibleMs, probes: config.probes, bandwidthThresholdBps: config.bandwidthThresholdBps });
  feed.onSnapshot((s) => metrics.update(s));
  feed.onLink((l) => metrics.link(l));
  // Visible: connections are polled at the visible cadence (1 s at --interval 1), so app counters move each second.
  feed.setVisible(true);
  const ex = createExporter({ metrics: () => metrics.render(), token: t.token });
  const failed = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    ex.server.once('error', resolve);
    ex.server.listen(port, host, () => { ex.server.off('error', resolve); resolve(null); });
  });
  if (failed) {
    feed.stop();
    console.error(`netwatch exporter: cannot listen on ${host}:${port}: ${failed.code === 'EADDRINUSE' ? 'the port is in use' : failed.message}`);
    return 1;
  }
  const addr = ex.server.address() as { port: number };
  console.log(`netwatch exporter: http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/metrics (${t.token ? 'bearer token required' : 'no token'})`);
  const reload = () => {
    if (v['token-file'] === undefined) { console.error('netwatch exporter: SIGHUP: nothing to reload (no --token-file)'); return; }
    const again = exporterToken(v, host, process.env);
    if (!again.ok) { console.error(`netwatch exporter: SIGHUP: kept the old token: ${again.error}`); return; }
    ex.setToken(again.token);
    console.error(`netwatch exporter: SIGHUP: token re-read from ${v['token-file']}`);
  };
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => stopSignals(() => { ex.server.closeAllConnections(); ex.server.close(() => resolve()); }));
  process.off('SIGHUP', reload);
  feed.stop();
  return 0;
}
