// `netwatch watch --csv DIR`: one RFC 4180 file per record type (DIR/system.csv, DIR/socket.csv, …),
// a header row once, then one row per record, CRLF line ends. Quoting is csv-stringify's (a cell with a
// comma, a quote, a CR or an LF is quoted, quotes doubled). Process and DNS names are chosen by
// whoever runs the process or owns the domain, so a text cell a spreadsheet would run as a formula is
// neutralised (OWASP "CSV injection"): a leading = + - @ tab or CR gets a ' before it.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Column, RecordType, Row } from './records.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text: '' for null, JSON for nested data, booleans as true/false. */
export function csvCell(c: Column, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (c.kind === 'json') return JSON.stringify(v);
  if (c.kind === 'string') { const s = String(v); return FORMULA_START.test(s) ? `'${s}` : s; }
  return String(v);
}

/**
 * One CSV line (CRLF-terminated) for these cells. With CRLF as the record delimiter csv-stringify
 * quotes only cells holding CRLF, not a lone LF or CR (6.9.0): `quoted_match` quotes those too.
 */
export const csvLine = (cells: readonly string[]): string => stringify([cells as string[]], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });

export const csvHeader = (t: RecordType): string => csvLine(t.columns.map((c) => c.name));
export const csvRow = (t: RecordType, row: Row): string => csvLine(t.columns.map((c) => csvCell(c, row[c.name])));

/**
 * The open files of one DIR. A file that exists already is appended to when its header is this
 * type's (a restarted service goes on with the same files) and refused otherwise: rows under another
 * header would be misread. `reopen()` (on SIGHUP) closes and reopens them, for logrotate.
 */
export class CsvDir {
  readonly dir: string;
  #types: readonly RecordType[];
  #fds = new Map<string, number>();
  readonly rows = new Map<string, number>();

  constructor(dir: string, types: readonly RecordType[]) {
    this.dir = dir;
    this.#types = types;
    fs.mkdirSync(dir, { recursive: true });
    for (const t of types) this.#check(t);
    this.reopen();
  }

  #file(t: RecordType) { return path.join(this.dir, `${t.type}.csv`); }

  #check(t: RecordType): void {
    const file = this.#file(t);
    let head: string;
    try {
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(4096);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      fs.closeSync(fd);
      head = buf.subarray(0, n).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
    }
    if (head !== '' && !head.startsWith(csvHeader(t))) throw new Error(`${file} exists with other columns: move it away or choose another directory`);
  }

  /** Opens (again) every file for appending, writing the header into those that are new or empty. */
  reopen(): void {
    this.close();
    for (const t of this.#types) {
      const fd = fs.openSync(this.#file(t), 'a');
      if (fs.fstatSync(fd).size === 0) fs.writeSync(fd, csvHeader(t));
      this.#fds.set(t.type, fd);
    }
  }

  /** Appends one cycle: each type's rows in one write. */
  write(recs: ReadonlyArray<{ type: RecordType; row: Row }>): void {
    const text = new Map<string, string[]>();
    for (const r of recs) {
      let a = text.get(r.type.type);
      if (!a) text.set(r.type.type, (a = []));
      a.push(csvRow(r.type, r.row));
    }
    for (const [type, lines] of text) {
      fs.writeSync(this.#fds.get(type)!, lines.join(''));
      this.rows.set(type, (this.rows.get(type) ?? 0) + lines.length);
    }
  }

  close(): void {
    for (const fd of this.#fds.values()) fs.closeSync(fd);
    this.#fds.clear();
  }
}
