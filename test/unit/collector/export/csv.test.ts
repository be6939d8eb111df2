// CSV export: RFC 4180 as a real parser (csv-parse) reads it, formula cells neutralised, one header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CsvDir, csvCell, csvHeader, csvRow } from '../../../../electron/collector/export/csv.ts';
import { cycleRecords, RECORD_TYPES, type RecordType } from '../../../../electron/collector/export/records.ts';
import { captureRecording, recording } from './fixture.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nw-csv-'));
const type = (name: string): RecordType => RECORD_TYPES.find((t) => t.type === name)!;

test('text cells a spreadsheet would run are neutralised; numbers and other text are kept', () => {
  const text = { name: 'x', kind: 'string' } as const;
  for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) assert.equal(csvCell(text, v), `'${v}`);
  for (const v of ['node', 'a=b', "'=x", '']) assert.equal(csvCell(text, v), v);
  assert.equal(csvCell({ name: 'n', kind: 'float' }, -1.5), '-1.5', 'numbers are not text: never prefixed');
  assert.equal(csvCell({ name: 'n', kind: 'int', nullable: true }, null), '');
  assert.equal(csvCell({ name: 'j', kind: 'json' }, { a: [1] }), '{"a":[1]}');
});

test('a recorded process named like a formula with a comma, quote and newline survives a real CSV parser', () => {
  const snaps = recording();
  const t = type('process');
  const rows = snaps.flatMap((s) => t.rows(s));
  const text = csvHeader(t) + rows.map((r) => csvRow(t, r)).join('');
  assert.ok(text.includes('\r\n'), 'CRLF record delimiters (RFC 4180)');
  const parsed = parse(text, { columns: true }) as Array<Record<string, string>>;
  assert.equal(parsed.length, rows.length);
  const hostile = parsed.find((p) => p['command']!.includes('HYPERLINK'))!;
  assert.equal(hostile['command'], `'=HYPERLINK("http://x.invalid/?a,b",1)\nnext`, 'quotes doubled, comma and newline quoted, formula prefixed');
  assert.equal(hostile['name'], `'=HYPERLINK("htt`);
  assert.equal(hostile['app'], `'=HYPERLINK("htt`);
  assert.equal(Number(hostile['pid']), rows.find((r) => String(r['command']).includes('HYPERLINK'))!['pid']);
  // Every cell of every column parses back to the cell written (nothing shifted into a neighbour).
  for (const s of snaps) {
    for (const { type: rt, row } of cycleRecords(s)) {
      const [back] = parse(csvRow(rt, row), { relax_column_count: false }) as string[][];
      assert.deepEqual(back, rt.columns.map((c) => csvCell(c, row[c.name])));
    }
  }
});

test('CsvDir: one file per record type, the header once across a reopen and a restart; another header is refused', () => {
  const dir = tmp();
  const snaps = recording();
  const a = new CsvDir(dir, RECORD_TYPES);
  a.write(cycleRecords(snaps[1]!));
  a.reopen(); // SIGHUP after logrotate moved nothing: the same files go on
  a.write(cycleRecords(snaps[2]!));
  a.close();
  const b = new CsvDir(dir, RECORD_TYPES); // a restarted service
  b.write(cycleRecords(snaps[3]!));
  b.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), RECORD_TYPES.map((t) => `${t.type}.csv`).sort());
  for (const t of RECORD_TYPES) {
    const text = fs.readFileSync(path.join(dir, `${t.type}.csv`), 'utf8');
    const rows = parse(text) as string[][];
    assert.equal(rows.filter((r) => r[0] === 'ts').length, 1, `${t.type}: header once`);
    const expected = [1, 2, 3].reduce((n, i) => n + t.rows(snaps[i]!).length, 0);
    assert.equal(rows.length - 1, expected, `${t.type}: every row`);
  }
  // logrotate moved socket.csv away: the reopen starts a new file with its header.
  const c = new CsvDir(dir, RECORD_TYPES);
  fs.renameSync(path.join(dir, 'socket.csv'), path.join(dir, 'socket.csv.1'));
  c.reopen();
  c.write(cycleRecords(snaps[4]!));
  c.close();
  assert.ok(fs.readFileSync(path.join(dir, 'socket.csv'), 'utf8').startsWith(csvHeader(type('socket'))));
  fs.writeFileSync(path.join(dir, 'system.csv'), 'when,what\r\n1,2\r\n');
  assert.throws(() => new CsvDir(dir, RECORD_TYPES), /system\.csv exists with other columns/);
});

test('the capture recording as CSV: a file per record type, rows as in JSONL, a DNS name starting with - neutralised', () => {
  const dir = tmp();
  const snaps = captureRecording();
  const csv = new CsvDir(dir, RECORD_TYPES);
  const jsonl = new Map<string, number>();
  for (const s of snaps) {
    const recs = cycleRecords(s);
    csv.write(recs);
    for (const r of recs) jsonl.set(r.type.type, (jsonl.get(r.type.type) ?? 0) + 1);
  }
  csv.close();
  for (const t of RECORD_TYPES) {
    const parsed = parse(fs.readFileSync(path.join(dir, `${t.type}.csv`), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    assert.equal(parsed.length, jsonl.get(t.type) ?? 0, `${t.type}: rows`);
    assert.ok(parsed.length > 0, `${t.type}: the recording has rows of it`);
  }
  const hosts = parse(fs.readFileSync(path.join(dir, 'host.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const c = hosts.filter((h) => h['address'] === '10.213.81.1').at(-1)!;
  assert.equal(c['name'], "'-cmd.nw.test", 'a leading - gets a quote');
  assert.deepEqual(JSON.parse(c['names']!), ['-cmd.nw.test', '\\061cmd.nw.test', 'h2.nw.test'], 'the JSON cell keeps the names as they are');
  const connects = parse(fs.readFileSync(path.join(dir, 'connect.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const total = connects.filter((r) => r['app_id'] === '').at(-1)!;
  assert.deepEqual([total['refused'], total['timed_out'], total['method']], ['5', '3', 'handshakes'], 'the total row: app_id empty (null)');
});
