// Part of `npm run bench`: Prometheus scrapes and export formats at ~16k sockets and 500 processes.
//  1. `netwatch exporter` scraped once a second: latency per scrape (target ≤ 10 ms), the series
//     count, and the CPU of the exporter process and of its engine child over the run.
//  2. node_exporter (Debian's prometheus-node-exporter, default collectors) scraped the same way in the
//     same lab: what a host already pays for its scrape.
//  3. One cycle's records at that size as JSON Lines, MessagePack and Protocol Buffers: bytes,
//     encode and decode ms (bench/export-formats.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { cpuMs } from './cpu.ts';
import { holder, manyApps } from './lab.ts';
import { compareFormats } from './export-formats.ts';
import { startExporter } from '../test/integration/exporter-host.ts';
import { Engine } from '../electron/collector/engine/engine.ts';
import { createSources } from '../electron/collector/platform.ts';
import { nodeOs } from '../electron/collector/os.ts';
import { defaultConfig } from '../shared/index.ts';

const QUICK = process.argv.includes('--quick');
const SCRAPES = QUICK ? 10 : 60;
const fmt = (n: number) => n.toFixed(2);
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });

/** Scrapes `url` once a second; per-scrape wall ms (request to last byte) and the CPU of `pids` over the run. */
async function scrapeRun(url: string, pids: number[]): Promise<{ ms: number[]; bytes: number; series: number; cpuMs: number; seconds: number }> {
  const c0 = pids.map((p) => cpuMs(p)), t0 = performance.now();
  const ms: number[] = [];
  let text = '';
  for (let i = 0; i < SCRAPES; i++) {
    const s = performance.now();
    text = await (await fetch(url)).text();
    ms.push(performance.now() - s);
    await sleep(1000);
  }
  const cpu = pids.reduce((a, p, i) => { const c = cpuMs(p); return a + c.self - c0[i]!.self; }, 0);
  return { ms, bytes: Buffer.byteLength(text), series: text.split('\n').filter((l) => l && !l.startsWith('#')).length, cpuMs: cpu, seconds: (performance.now() - t0) / 1000 };
}

function report(label: string, r: Awaited<ReturnType<typeof scrapeRun>>) {
  console.log(`${label}: scrape median ${fmt(pct(r.ms, 0.5))} ms, p95 ${fmt(pct(r.ms, 0.95))} ms, max ${fmt(Math.max(...r.ms))} ms; ${r.series} series, ${(r.bytes / 1024).toFixed(1)} KiB; CPU ${fmt((r.cpuMs / (r.seconds * 1000)) * 100)} % of a core over ${r.seconds.toFixed(0)} s`);
}

export async function exporterBench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  console.log(`\n## Prometheus scrape at ~16k sockets and 500 processes, ${SCRAPES} scrapes 1 s apart`);
  const h = await holder(8000);
  const apps = await manyApps(500);
  let ex: Awaited<ReturnType<typeof startExporter>> | null = null;
  let nodeExp: ChildProcess | null = null;
  try {
    ex = await startExporter(['--no-probes']);
    // Warm: the engine has polled the lab (first poll of 16k sockets is the cold one).
    for (let i = 0; i < 60; i++) {
      const t = await (await fetch(ex.metricsUrl)).text();
      if (Number(/^netwatch_sockets (\d+)/m.exec(t)?.[1] ?? 0) > 16000 && Number(/^netwatch_apps (\d+)/m.exec(t)?.[1] ?? 0) >= 500) break;
      await sleep(500);
    }
    // The engine child and its own helpers (nw-sockdiag --serve and --destroy are long-lived children, not reaped).
    const kids = (pid: number): number[] => spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    const engineTree = kids(ex.child.pid!).flatMap((e) => [e, ...kids(e)]);
    const ours = await scrapeRun(ex.metricsUrl, [ex.child.pid!]);
    const engineCpu = (() => {
      const c0 = engineTree.map((p) => cpuMs(p).self);
      return async () => { await sleep(10_000); return (engineTree.reduce((a, p, i) => a + cpuMs(p).self - c0[i]!, 0) / 10_000) * 100; };
    })();
    report('netwatch exporter (HTTP process)', ours);
    const enginePct = await engineCpu();
    console.log(`its engine child and helpers (${engineTree.length} processes, polling 16k sockets each second): ${fmt(enginePct)} % of a core over 10 s — the cost of the data, whoever scrapes it`);
    results['exporter'] = { medianMs: pct(ours.ms, 0.5), p95Ms: pct(ours.ms, 0.95), maxMs: Math.max(...ours.ms), series: ours.series, bytes: ours.bytes, cpuPct: (ours.cpuMs / (ours.seconds * 1000)) * 100, engineCpuPct: enginePct };

    if (spawnSync('prometheus-node-exporter', ['--version']).status === 0) {
      const port = await freePort();
      nodeExp = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
      for (let i = 0; i < 50; i++) { try { await fetch(`http://127.0.0.1:${port}/metrics`); break; } catch { await sleep(200); } }
      const theirs = await scrapeRun(`http://127.0.0.1:${port}/metrics`, [nodeExp.pid!]);
      report('node_exporter (default collectors)', theirs);
      results['nodeExporter'] = { medianMs: pct(theirs.ms, 0.5), p95Ms: pct(theirs.ms, 0.95), maxMs: Math.max(...theirs.ms), series: theirs.series, bytes: theirs.bytes, cpuPct: (theirs.cpuMs / (theirs.seconds * 1000)) * 100 };
    } else console.log('node_exporter: not installed (Debian package prometheus-node-exporter): no comparison');

    console.log('\n## Export formats, one cycle at ~16k sockets');
    const eng = new Engine({ sources: createSources(nodeOs), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {}, listInSnapshots: true });
    await eng.pollAll();
    await sleep(1000);
    await eng.pollAll();
    const snap = eng.snapshot();
    eng.stop();
    const f = compareFormats(snap, QUICK ? 5 : 20);
    for (const x of f.formats) console.log(`${x.format}: ${(x.bytes / 1024).toFixed(0)} KiB for ${f.records} records; encode ${fmt(x.encodeMs)} ms, decode ${fmt(x.decodeMs)} ms`);
    results['formats'] = f;
  } finally {
    nodeExp?.kill();
    await ex?.stop();
    apps.cleanup();
    h.kill('SIGTERM');
  }
  return results;
}

if (import.meta.main) console.log(JSON.stringify(await exporterBench()));
