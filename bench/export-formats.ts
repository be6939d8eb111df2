// The export formats side by side on the same records: bytes per cycle, and encode/decode time per
// cycle (median of `runs`), for JSON Lines, MessagePack (what `watch --msgpack` writes) and Protocol
// Buffers (the alternative issue 16 weighed; schema generated from the same table).
import protobuf from 'protobufjs';
import { Decoder, Encoder } from '@msgpack/msgpack';
import type { Snapshot } from '../shared/index.ts';
import { cycleRecords, jsonlLine, RECORD_TYPES } from '../electron/collector/export/records.ts';
import { protoSchema } from '../electron/collector/export/proto-schema.ts';
import { ProtobufEncoder } from '../electron/collector/export/protobuf.ts';

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(runs: number, fn: () => void): number {
  fn(); fn(); // warm the JIT
  const out: number[] = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); out.push(performance.now() - t0); }
  return median(out);
}

export interface FormatCost { format: string; bytes: number; encodeMs: number; decodeMs: number }

export function compareFormats(s: Snapshot, runs = 20): { records: number; formats: FormatCost[] } {
  const recs = cycleRecords(s);
  const out: FormatCost[] = [];

  let text = '';
  const jsonEnc = () => { text = recs.map((r) => jsonlLine(r.type, r.row)).join('\n') + '\n'; };
  const jsonEncMs = time(runs, jsonEnc);
  out.push({ format: 'JSON Lines', bytes: Buffer.byteLength(text), encodeMs: jsonEncMs, decodeMs: time(runs, () => { for (const l of text.split('\n')) if (l) JSON.parse(l); }) });

  // MessagePack as `watch --msgpack` would have written it: each JSONL object as a map, concatenated.
  const mp = new Encoder({ ignoreUndefined: true });
  let bin: Uint8Array = new Uint8Array();
  const mpEncMs = time(runs, () => { bin = Buffer.concat(recs.map((r) => mp.encode({ type: r.type.type, ...r.row }))); });
  out.push({ format: 'MessagePack (maps)', bytes: bin.byteLength, encodeMs: mpEncMs, decodeMs: time(runs, () => { for (const _ of new Decoder().decodeMulti(bin)) { /* each record */ } }) });

  const root = protobuf.parse(protoSchema(RECORD_TYPES), { keepCase: true }).root;
  const Rec = root.lookupType('netwatch.Record');
  const enc = new ProtobufEncoder();
  let pb: Uint8Array = new Uint8Array();
  const pbEncMs = time(runs, () => { pb = enc.cycle(recs); });
  out.push({
    format: 'Protocol Buffers', bytes: pb.byteLength, encodeMs: pbEncMs,
    decodeMs: time(runs, () => { const rd = protobuf.Reader.create(pb); while (rd.pos < rd.len) Rec.toObject(Rec.decodeDelimited(rd), { longs: Number }); }),
  });
  return { records: recs.length, formats: out };
}

if (import.meta.main) {
  const fs = await import('node:fs');
  const s = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Snapshot;
  console.log(JSON.stringify(compareFormats(s, 30), null, 1));
}
