// `netwatch watch --jsonl --csv DIR` and `watch --protobuf` as a user runs them, with a process named
// like a spreadsheet formula (comma, quote, newline) talking over loopback.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { RECORD_TYPES } from '../../electron/collector/export/records.ts';
import { decodeStream } from '../unit/collector/export/proto-decoder.ts';
import { BIN } from './exporter-host.ts';
import { ROOT } from '../helpers.ts';

const run = promisify(execFile);
/**
 * Types this run must write rows of. The capture's host, flow and service rows need traffic with
 * another host and a port set (loopback only here: test/unit/collector/export/ covers them on the
 * namespace recording); capture and connect rows need the capture or kernel counters, so they may be 0.
 */
const ALWAYS = ['system', 'socket', 'process'];
const TITLE = '=cmd|" /c calc",x\nline2';
const peer = spawn(process.execPath, [path.join(ROOT, 'test', 'integration', 'peers', 'hostile-name.ts'), TITLE], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = new Promise<void>((r) => peer.stdout!.once('data', () => r()));
after(() => peer.kill());

/** Runs `netwatch watch ARGS` for `ms`, then SIGINT; stdout as bytes. */
async function watch(args: string[], ms: number): Promise<{ code: number | null; out: Buffer; err: string }> {
  const child = spawn(process.execPath, [BIN, 'watch', '--interval', '0.5', '--no-probes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => { err += d; });
  await new Promise((r) => setTimeout(r, ms));
  const code = await new Promise<number | null>((r) => { child.once('exit', (c) => r(c)); child.kill('SIGINT'); });
  return { code, out: Buffer.concat(chunks), err };
}

test('watch --jsonl --csv DIR: every file parses, header once, rows per type equal the JSONL lines of the same run', async () => {
  await ready;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-watch-csv-'));
  const { code, out, err } = await watch(['--jsonl', '--csv', dir], 3500);
  assert.equal(code, 0, err);
  const lines = out.toString().trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  for (const t of RECORD_TYPES) {
    const text = fs.readFileSync(path.join(dir, `${t.type}.csv`), 'utf8');
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>; // throws on any malformed record
    assert.equal(text.split('\r\n')[0], t.columns.map((c) => c.name).join(','), `${t.type}: the header`);
    assert.equal(rows.filter((r) => r['ts'] === 'ts').length, 0, `${t.type}: header once`);
    assert.equal(rows.length, lines.filter((l) => l.type === t.type).length, `${t.type}: rows = JSONL lines`);
    if (ALWAYS.includes(t.type)) assert.ok(rows.length > 0, `${t.type}: rows written`);
  }
  const procs = parse(fs.readFileSync(path.join(dir, 'process.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const hostile = procs.find((p) => p['pid'] === String(peer.pid))!;
  assert.equal(hostile['command'], `'${TITLE}`, 'formula neutralised; comma, quotes and newline kept inside one cell');
  assert.ok(hostile['name']!.startsWith("'=cmd|"));
  const fromJsonl = lines.find((l) => l.type === 'process' && l['pid'] === peer.pid)!;
  assert.equal(fromJsonl['command'], TITLE, 'JSONL keeps the name as it is');
  assert.match(err, /\d+ system rows, \d+ socket rows, \d+ process rows(, \d+ \w+ rows)* in /);
});

test('watch --protobuf: the records decode with records.proto; --jsonl with --protobuf is refused', async () => {
  await ready;
  const { code, out, err } = await watch(['--protobuf'], 2500);
  assert.equal(code, 0, err);
  const recs = decodeStream(out);
  const types = new Set(recs.map((r) => r['type'] as string));
  for (const t of ALWAYS) assert.ok(types.has(t), `${t} records`);
  for (const t of types) assert.ok(RECORD_TYPES.some((x) => x.type === t), `${t} is a record type`);
  const hostile = recs.find((r) => r['type'] === 'process' && r['pid'] === peer.pid)!;
  assert.equal(hostile['command'], TITLE);
  assert.ok(recs.filter((r) => r['type'] === 'system').every((r) => (r['state_counts'] as unknown[]).length === 12), 'json columns parse back');
  const f = await run(process.execPath, [BIN, 'watch', '--jsonl', '--protobuf']).then(() => null, (e: { code: number; stderr: string }) => e);
  assert.ok(f && f.code === 2 && /choose one/.test(f.stderr));
  const g = await run(process.execPath, [BIN, 'watch']).then(() => null, (e: { code: number; stderr: string }) => e);
  assert.ok(g && g.code === 2 && /choose an output/.test(g.stderr));
});
