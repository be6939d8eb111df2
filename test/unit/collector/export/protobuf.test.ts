// Protocol Buffers export: the committed schema is the generated one, and every record type
// round-trips through it with a decoder built from that file alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ProtobufEncoder } from '../../../../electron/collector/export/protobuf.ts';
import { protoSchema } from '../../../../electron/collector/export/proto-schema.ts';
import { cycleRecords, RECORD_TYPES, type RecordType } from '../../../../electron/collector/export/records.ts';
import { PROTO_FILE } from '../../../../scripts/export-schema.ts';
import { decodeStream } from './proto-decoder.ts';
import { recording } from './fixture.ts';

test('records.proto in the repository is what the record table generates (run scripts/export-schema.ts after a change)', () => {
  assert.equal(fs.readFileSync(PROTO_FILE, 'utf8'), protoSchema(RECORD_TYPES));
});

test('every record type round-trips: recorded cycles encoded, decoded from records.proto, equal to the JSONL rows', () => {
  const enc = new ProtobufEncoder();
  const seen = new Set<string>();
  for (const s of recording()) {
    const recs = cycleRecords(s);
    const back = decodeStream(enc.cycle(recs));
    assert.deepEqual(back, recs.map((r) => ({ type: r.type.type, ...r.row })));
    for (const r of back) seen.add(r['type'] as string);
  }
  assert.deepEqual([...seen].sort(), RECORD_TYPES.map((t) => t.type).sort(), 'the recording holds every record type');
});

test('nulls, zeros, empty text and 64-bit values are told apart', () => {
  const t: RecordType = {
    type: 'socket', columns: RECORD_TYPES.find((x) => x.type === 'socket')!.columns,
    rows: () => [],
  };
  const row = {
    ts: 1796128854167, proto: 'udp', local: '', remote: null, state: 'UNCONN', pid: null, command: '', inode: 0, rtt_us: 0,
    bytes_sent: 2 ** 53 - 1, bytes_received: null, tx_bps: 0.1, rx_bps: 1e300, cwnd: 0, retrans: null,
  };
  assert.deepEqual(decodeStream(new ProtobufEncoder().cycle([{ type: t, row }])), [{ type: 'socket', ...row }]);
});
