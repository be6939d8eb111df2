// `netwatch`: the engine headless. `snapshot` prints a summary (`--json`: the whole snapshot); `watch` streams
// records (JSONL, CSV, Protocol Buffers: export/); `exporter` and `serve`'s /metrics are for Prometheus.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, engineConfigOf, mergeConfig, withFixed, type FixedSettings } from '../../shared/index.ts';
import { nodeOs } from './os.ts';
import { createSources } from './platform.ts';
import { Engine } from './engine/engine.ts';
import { snapshotSummary } from './summary.ts';
import { liveFeed, replayFeed, type Feed } from './serve/feed.ts';
import { createServer, defaultStaticDir, isLoopbackHost, refuse } from './serve/server.ts';
import { ensureDashboard } from './serve/dashboard.ts';
import { loadServeSettings, serveSettingsPath } from './serve/settings-file.ts';
import { chooseToken, type TokenFlags } from './serve/token.ts';
import { JsonlFile } from './jsonl-file.ts';
import { usageCommand, USAGE_HELP } from './usage-cli.ts';
import { defaultHistoryPath } from './history/paths.ts';
import { runExporter, runWatch } from './export/commands.ts';
import { DEFAULT_TOP_APPS, PromMetrics, parseTopApps } from './export/metrics.ts';
import { parsePortSets } from './port-set-flag.ts';

const USAGE = `usage:
  netwatch snapshot [--json] [--no-probes]          one snapshot, after two samples so rates are real
                                                    (a summary; --json: the whole snapshot)
  netwatch watch [--jsonl | --protobuf] [--csv DIR] [--interval S] [--no-probes] [--port-set NAME=PORTS]
                a "system" record per cycle, then "socket", "process" and the capture's "capture",
                "host", "flow", "service" and "connect" records (README "Export and fleets"):
                --jsonl JSON Lines, --protobuf length-delimited netwatch.Record messages (records.proto)
                on stdout; --csv DIR one file per record type (DIR/system.csv, …), header once
  netwatch record FILE [--interval S] [--duration S] [--no-probes] [--db H] [--port-set NAME=PORTS]
                full snapshots, one JSON per line
  netwatch serve [--port 9273] [--host 127.0.0.1] [--token-file F | --no-token] [--tls-cert F --tls-key F]
                [--interval S] [--replay FILE] [--no-probes] [--db H | --no-history] [--top-apps N]
                the web dashboard, live or from a recording (with --db: that recorded history),
                and Prometheus metrics at /metrics (same token)
  netwatch exporter [--port 9274] [--host 127.0.0.1] [--token-file F | --no-token] [--top-apps N]
                [--interval S] [--no-probes] [--port-set NAME=PORTS]   Prometheus metrics only, at
                /metrics; a token is needed off loopback (Prometheus: authorization: credentials_file).
                SIGHUP re-reads --token-file
${USAGE_HELP}
  netwatch --help | --version
options:
  --no-probes   do not ping the gateway or query the DNS server
  --interval S  seconds between cycles (default 1)
  --duration S  stop recording after S seconds (default: until Ctrl-C)
  --bandwidth-threshold B   bytes/s per interface and direction that raise a bandwidth alert (default 50000000)
  --token-file F  the dashboard's token (16+ characters), from a file only you can read (mode 600);
                or in NETWATCH_TOKEN. Default: a random token per run, in the printed URL
  --token T     the same on the command line (every local user can read it with ps)
  --no-token    loopback only: no token, so every local user can read the dashboard
  --tls-cert F --tls-key F   serve HTTPS with this PEM certificate and key
  --db H        the usage history database (serve's default: the user's data folder, e.g.
                ~/.local/share/netwatch/history.sqlite; record keeps none unless given)
  --no-history  serve without keeping a usage history
  --top-apps N  applications with their own metric series (default ${DEFAULT_TOP_APPS}); the rest are app="other"
  --port-set NAME=PORT[/tcp|/udp],…   ports whose bytes the packet capture accounts apart, per port,
                direction and peer ("service" records, usage --by service); both protocols when none
                is given; repeat for more sets (at most 16). serve takes Settings' accounted ports`;

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];
const ENGINE: Options = { 'no-probes': { type: 'boolean' }, interval: { type: 'string' }, 'bandwidth-threshold': { type: 'string' } };
/** The headless commands without Settings (serve has them: its accounted ports). */
const PORT_SET: Options = { 'port-set': { type: 'string', multiple: true } };
/** Each command's own options: an option another command takes is still an error here. */
const COMMANDS: Record<string, { options: Options; positionals: number }> = {
  snapshot: { options: { ...ENGINE, json: { type: 'boolean' } }, positionals: 0 },
  watch: { options: { ...ENGINE, ...PORT_SET, jsonl: { type: 'boolean' }, protobuf: { type: 'boolean' }, csv: { type: 'string' } }, positionals: 0 },
  record: { options: { ...ENGINE, ...PORT_SET, duration: { type: 'string' }, db: { type: 'string' } }, positionals: 1 },
  serve: {
    options: {
      ...ENGINE, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, replay: { type: 'string' },
      'token-file': { type: 'string' }, 'no-token': { type: 'boolean' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
      db: { type: 'string' }, 'no-history': { type: 'boolean' }, 'top-apps': { type: 'string' },
    },
    positionals: 0,
  },
  exporter: {
    options: {
      ...ENGINE, ...PORT_SET, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, 'token-file': { type: 'string' },
      'no-token': { type: 'boolean' }, 'top-apps': { type: 'string' },
    },
    positionals: 0,
  },
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') { console.log(USAGE); return 0; }
  if (cmd === '--version' || cmd === '-V') { console.log(`netwatch ${version()}`); return 0; }
  if (cmd === undefined) { console.error(USAGE); return 2; }
  if (cmd === 'usage') return rest.includes('--help') || rest.includes('-h') ? (console.log(USAGE), 0) : usageCommand(rest);
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
  const portSets = parsePortSets((args.values as Record<string, unknown>)['port-set'] as string[] | undefined ?? []);
  if (!portSets.ok) { console.error(portSets.error); return 2; }
  const config = mergeConfig(defaultConfig(), {
    intervalMs, connectionsVisibleMs: Math.max(500, intervalMs), probes: !v['no-probes'], ...(threshold ? { bandwidthThresholdBps: threshold } : {}),
    portSets: portSets.sets,
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
  if (cmd === 'watch') return runWatch({ jsonl: v['jsonl'] === true, protobuf: v['protobuf'] === true, csv: str('csv') ?? null }, config);
  if (cmd === 'exporter') {
    return runExporter({ port: str('port'), host: str('host'), token: str('token'), 'token-file': str('token-file'), 'no-token': v['no-token'] === true, 'top-apps': str('top-apps') }, config);
  }
  if (cmd === 'record') {
    const file = args.positionals[0];
    if (!file) return usageError('record: name the file to write');
    const duration = str('duration') === undefined ? Infinity : Number(str('duration'));
    if (!(duration > 0)) { console.error('--duration takes seconds > 0'); return 2; }
    let out: JsonlFile;
    try { out = new JsonlFile(file); } catch (e) { console.error(`netwatch record: ${(e as Error).message}`); return 2; }
    let failure: string | null = null;
    let end = () => {};
    const engine = new Engine({
      sources: createSources(nodeOs), os: nodeOs, config, listInSnapshots: true, historyPath: str('db') ?? null,
      emit: (m) => {
        if (m.type !== 'snapshot' || failure !== null) return;
        // A failed write (ENOSPC: the disk is full) ends the recording with what was whole.
        failure = out.append(JSON.stringify(m.snapshot));
        if (failure !== null) end();
      },
    });
    engine.setVisible(true);
    await new Promise<void>((resolve) => {
      end = () => { engine.stop(); resolve(); };
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, end);
      if (Number.isFinite(duration)) setTimeout(end, duration * 1000).unref();
      engine.start();
    });
    out.close();
    if (failure !== null) {
      console.error(`netwatch record: stopped: ${failure}; ${file} keeps the ${out.lines} whole snapshots written before`);
      return 1;
    }
    console.error(`recorded ${out.lines} snapshots to ${file}`);
    return 0;
  }
  return serve({
    port: str('port'), host: str('host'), token: str('token'), replay: str('replay'), 'token-file': str('token-file'), 'no-token': v['no-token'] === true,
    'tls-cert': str('tls-cert'), 'tls-key': str('tls-key'), interval: str('interval'), 'no-probes': v['no-probes'] === true, 'bandwidth-threshold': str('bandwidth-threshold'),
    db: str('db'), 'no-history': v['no-history'] === true, 'top-apps': str('top-apps'),
  }, config);
}

/** Why listen failed, in words: the usual three get a hint, anything else Node's own message. */
function listenFailure(e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE') return 'the port is in use (another netwatch serve?): choose another with --port';
  if (e.code === 'EACCES') return 'permission denied (ports below 1024 need root)';
  if (e.code === 'EADDRNOTAVAIL') return 'no such address on this machine';
  return e.message;
}

interface ServeFlags extends TokenFlags {
  port?: string; host?: string; replay?: string; interval?: string; 'no-probes'?: boolean; 'bandwidth-threshold'?: string; 'tls-cert'?: string; 'tls-key'?: string;
  db?: string; 'no-history'?: boolean; 'top-apps'?: string;
}

async function serve(v: ServeFlags, config: ReturnType<typeof defaultConfig>): Promise<number> {
  const port = v.port === undefined ? 9273 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error('--port takes 0–65535'); return 2; }
  const topApps = parseTopApps(v['top-apps']);
  if (topApps === null) { console.error('--top-apps takes 0–1000'); return 2; }
  const host = v.host ?? '127.0.0.1';
  const staticDir = defaultStaticDir();
  const choice = chooseToken(v, process.env);
  if (!choice.ok) { console.error(`netwatch serve: ${choice.error}`); return 2; }
  if (v['no-token'] && !isLoopbackHost(host)) { console.error('netwatch serve: --no-token is for loopback only'); return 2; }
  // Off loopback, exposing the dashboard is a decision: the token must be given, not made up.
  if (choice.show && !isLoopbackHost(host)) { console.error(`netwatch serve: refusing to serve on ${host} without a token: give --token-file F or NETWATCH_TOKEN`); return 2; }
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) { console.error('netwatch serve: --tls-cert and --tls-key go together'); return 2; }
  let tls: { cert: Buffer; key: Buffer } | null = null;
  try {
    if (v['tls-cert'] && v['tls-key']) tls = { cert: fs.readFileSync(v['tls-cert']), key: fs.readFileSync(v['tls-key']) };
  } catch (e) {
    console.error(`netwatch serve: ${(e as Error).message}`);
    return 2;
  }
  const noDashboard = await ensureDashboard(staticDir, ROOT, (l) => console.error(l));
  if (noDashboard) { console.error(`netwatch serve: ${noDashboard}`); return 2; }
  const why = refuse({ host, token: choice.token, staticDir });
  if (why) { console.error(`netwatch serve: ${why}`); return 2; }
  if (choice.warning) console.error(`netwatch serve: ${choice.warning}`);
  if (!tls && !isLoopbackHost(host)) console.error(`netwatch serve: plain HTTP on ${host}: the token and the data cross the network readable; use --tls-cert/--tls-key or a TLS proxy`);
  // Flags win over settings saved from the page: the engine gets them, and the page shows them fixed.
  const fixed: FixedSettings = {
    ...(v.interval !== undefined ? { samplingIntervalMs: { value: config.intervalMs, by: `--interval ${v.interval}` } } : {}),
    ...(v['no-probes'] ? { probes: { value: false, by: '--no-probes' } } : {}),
    ...(v['bandwidth-threshold'] !== undefined ? { bandwidthThresholdBps: { value: config.bandwidthThresholdBps, by: `--bandwidth-threshold ${v['bandwidth-threshold']}` } } : {}),
  };
  // Settings saved from the page in an earlier run (flags still win): the engine starts with them.
  const settingsFile = serveSettingsPath();
  const loaded = loadServeSettings(settingsFile);
  if (loaded.notice) console.error(`netwatch serve: ${settingsFile}: ${loaded.notice}`);
  let feed: Feed;
  try {
    if (v.db && v['no-history']) { console.error('netwatch serve: --db and --no-history exclude each other'); return 2; }
    const history = v['no-history'] ? null : v.db ?? (v.replay ? null : defaultHistoryPath());
    feed = v.replay ? replayFeed(v.replay, history) : liveFeed({
      connectionsVisibleMs: config.connectionsVisibleMs, ...engineConfigOf(withFixed(loaded.settings, fixed)),
    }, { historyPath: history });
  } catch (e) {
    console.error(`netwatch serve: ${(e as Error).message}`);
    return 2;
  }
  const metrics = new PromMetrics({ topApps });
  feed.onSnapshot((s) => metrics.update(s));
  feed.onLink((l) => metrics.link(l));
  const server = createServer({ host, port, token: choice.token, staticDir, feed, tls, fixed, metrics: () => metrics.render(), settings: { file: settingsFile, saved: loaded.settings, notice: loaded.notice } });
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
  const query = choice.token === null ? '' : choice.show ? `?token=${choice.token}` : '?token=…';
  // The first stdout line says where: scripts and tests read it when they asked for port 0.
  console.log(`netwatch serve: ${tls ? 'https' : 'http'}://${shown}:${addr.port}/${query} (${v.replay ? `replaying ${v.replay}` : 'live engine'})`);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { server.closeAllConnections(); server.close(() => resolve()); });
  });
  return 0;
}
