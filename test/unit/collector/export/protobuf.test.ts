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
import { captureRecording, recording } from './fixture.ts';

test('records.proto in the repository is what the record table generates (run scripts/export-schema.ts after a change)', () => {
  assert.equal(fs.readFileSync(PROTO_FILE, 'utf8'), protoSchema(RECORD_TYPES));
});

test('every record type round-trips: recorded cycles encoded, decoded from records.proto, equal to the JSONL rows', () => {
  const enc = new ProtobufEncoder();
  const seen = new Set<string>();
  for (const s of [...recording(), ...captureRecording()]) {
    const recs = cycleRecords(s);
    const back = decodeStream(enc.cycle(recs));
    assert.deepEqual(back, recs.map((r) => ({ type: r.type.type, ...r.row })));
    for (const r of back) seen.add(r['type'] as string);
  }
  assert.deepEqual([...seen].sort(), RECORD_TYPES.map((t) => t.type).sort(), 'the recordings hold every record type');
});

test('the capture recording\'s records: hosts with their DNS names, per-app flows, the port set\'s services, connection outcomes', () => {
  const last = cycleRecords(captureRecording().at(-1)!);
  const rows = (type: string) => decodeStream(new ProtobufEncoder().cycle(last.filter((r) => r.type.type === type)));
  const host = rows('host').find((h) => h['address'] === '10.213.81.1')!;
  assert.deepEqual(host['names'], ['-cmd.nw.test', '\\061cmd.nw.test', 'h2.nw.test'], 'latest first; the helper writes "=" as \\061');
  assert.equal(host['name'], '-cmd.nw.test');
  assert.deepEqual(rows('service').map((r) => [r['set'], r['port'], r['protocol'], r['role'], r['rx_bytes']]),
    [['hostd', 9981, 'tcp', 'server', 300_000], ['hostd', 9984, 'udp', 'server', 200_000]], 'the bytes the clients sent; 9990 not in the set');
  const total = rows('connect').find((r) => r['app_id'] === null)!;
  assert.deepEqual([total['method'], total['refused'], total['timed_out']], ['handshakes', 5, 3]);
  assert.ok(rows('flow').some((f) => f['address'] === '10.213.80.1' && Number(f['tx_bytes']) >= 1_000_000), 'the app that uploaded 1 MB to host B');
  const [cap] = rows('capture');
  assert.deepEqual([cap!['dns_queries'], cap!['dns_nxdomain']], [6, 2]);
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
