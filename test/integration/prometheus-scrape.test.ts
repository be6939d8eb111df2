// A real Prometheus (Debian's) scrapes `netwatch exporter` every second, with the bearer token from a
// credentials file, while a paced loopback transfer runs; PromQL rate() over its HTTP API must agree
// within 5 % with the engine's own figure (a second engine's app byte counters over the same window)
// and with the sender's pace. The window is a minute (issue 16): the transfer runs 75 s, Prometheus
// scrapes throughout, rate() is taken over the last 60 s of it, and the test checks that the window
// holds the minute's scrapes. Then every query of the Grafana fleet dashboard runs against the same server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { EngineHost, peer } from './engine-host.ts';
import { startExporter, tokenFile, toolSkip, type ExporterChild } from './exporter-host.ts';

const skip = toolSkip('prometheus', 'prometheus');
const WINDOW_S = 60;
const RATE = 2_000_000; // bytes/s the client sends
const TOKEN = 'scrape-token-0123456789abcdef';
const APP = `nwprom-${process.pid}`.slice(0, 15);
const kids: Array<{ kill(): unknown }> = [];
let exporter: ExporterChild | null = null;
after(async () => { await exporter?.stop(); for (const k of kids) k.kill(); });

const freePort = () => new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });

async function startPrometheus(target: string, credentials: string): Promise<{ api: string; child: ChildProcess }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-prom-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, scrape_timeout: 900ms }',
    'scrape_configs:',
    '  - job_name: netwatch',
    `    authorization: { type: Bearer, credentials_file: ${credentials} }`,
    `    static_configs: [{ targets: ['${target}'] }]`,
  ].join('\n') + '\n');
  const child = spawn('prometheus', [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  kids.push(child, { kill: () => fs.rmSync(dir, { recursive: true, force: true }) });
  const api = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return { api, child }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus did not become ready');
}

async function query(api: string, q: string, time: number): Promise<number | null> {
  const r = await (await fetch(`${api}/query?query=${encodeURIComponent(q)}&time=${time}`)).json() as { data: { result: Array<{ value: [number, string] }> } };
  return r.data.result.length ? Number(r.data.result[0]!.value[1]) : null;
}

test('Prometheus scrapes the exporter; rate() of the sender app agrees with the engine within 5 %', { skip, timeout: 180_000 }, async () => {
  const credentials = tokenFile(TOKEN);
  exporter = await startExporter(['--no-probes', '--token-file', credentials]);
  // The engine's own figure, from an engine beside the exporter's (same code, same kernel counters).
  const engine = new EngineHost({ probes: false, connectionsVisibleMs: 1000 });
  kids.push(engine.child);
  const prom = await startPrometheus(`127.0.0.1:${exporter.port}`, credentials);
  const server = await peer<{ port: number }>('sink-server.ts');
  // A name of its own: other tests on this machine run 'nwtest-client's too, and metrics sum apps by name.
  const client = await peer<{ localPort: number }>('paced-client.ts', [String(server.first.port), String(RATE), String((WINDOW_S + 15) * 1000)], { env: { ...process.env, NWTEST_TITLE: APP } });
  kids.push(server.child, client.child);
  client.child.send({ go: true });
  await new Promise((r) => setTimeout(r, (WINDOW_S + 8) * 1000));

  const t = Date.now() / 1000 - 1;
  const up = await query(prom.api, 'up{job="netwatch"}', t);
  assert.equal(up, 1, 'the scrape with the bearer token succeeds');
  // A minute of scrapes (one a second), a few lost to a busy machine at most.
  const scrapes = await query(prom.api, `count_over_time(netwatch_engine_up[${WINDOW_S}s])`, t);
  assert.ok(scrapes !== null && scrapes >= WINDOW_S - 5, `${scrapes} scrapes in the ${WINDOW_S} s window`);
  const promRate = await query(prom.api, `rate(netwatch_app_transmit_bytes_total{app="${APP}"}[${WINDOW_S}s])`, t);
  assert.ok(promRate !== null, 'the sender has its own series');
  // Engine: the app's byte counter at the polls nearest the window's ends.
  const at = (ts: number) => engine.snapshots.filter((s) => s.connectionsTs !== null && s.connectionsTs <= ts * 1000).at(-1)!;
  const a = at(t - WINDOW_S), b = at(t);
  const sent = (s: typeof a) => s.apps.filter((x) => x.app === APP).reduce((n, x) => n + x.txBytes, 0);
  const engineRate = (sent(b) - sent(a)) / ((b.connectionsTs! - a.connectionsTs!) / 1000);
  const off = Math.abs(promRate - engineRate) / engineRate;
  console.log(`# rate() over ${WINDOW_S} s (${scrapes} scrapes): ${Math.round(promRate)} B/s, engine ${Math.round(engineRate)} B/s (${(off * 100).toFixed(2)} % apart), paced ${RATE} B/s`);
  assert.ok(off < 0.05, `PromQL ${promRate} vs engine ${engineRate}`);
  assert.ok(Math.abs(promRate - RATE) / RATE < 0.05, `PromQL ${promRate} vs the sender's ${RATE} B/s`);
  await engine.stop();
  // Where the packet capture runs (root, nw-capture built): its series reach Prometheus too, and the
  // client's connect (made after the exporter started) is among the handshakes counted.
  if (await query(prom.api, 'netwatch_source_up{source="capture"}', t) === 1) {
    const connects = await query(prom.api, 'netwatch_tcp_connect_successes_total', t);
    console.log(`# capture: ${connects} connects succeeded, ${await query(prom.api, 'netwatch_capture_packets_total', t)} packets`);
    assert.ok(connects !== null && connects >= 1, `connect successes ${connects}`);
    assert.ok((await query(prom.api, 'netwatch_capture_packets_total', t) ?? 0) > 0);
  }

  // The fleet dashboard's every query, as Grafana would send it, is valid PromQL over these series.
  const dash = JSON.parse(fs.readFileSync(path.join(ROOT, 'grafana', 'netwatch-fleet.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  for (const p of dash.panels) {
    for (const { expr } of p.targets) {
      const q = expr.replaceAll('$instance', '.*').replaceAll('$__rate_interval', '10s').replaceAll('$__range', `${WINDOW_S}s`);
      const r = await (await fetch(`${prom.api}/query?query=${encodeURIComponent(q)}&time=${t}`)).json() as { status: string; error?: string; data?: { result: unknown[] } };
      assert.equal(r.status, 'success', `${p.title}: ${q}: ${r.error}`);
      if (/Hosts by traffic|Top apps across|Hosts reporting/.test(p.title) && !q.includes('== 0')) assert.ok(r.data!.result.length > 0, `${p.title}: ${q} is empty`);
    }
  }
});
