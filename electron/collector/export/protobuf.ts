// `netwatch watch --protobuf`: the records of records.ts as length-delimited Protocol Buffers
// `netwatch.Record` messages (a varint byte length, then the message), the schema in
// electron/collector/export/records.proto. Chosen over MessagePack by measurement (README, "Export"):
// at ~1k sockets a cycle was 76 KB against MessagePack's 194 KB and JSONL's 257 KB, encoded as fast as
// MessagePack and decoded faster, and a .proto file gives every language a typed decoder.
import protobuf from 'protobufjs';
import { protoSchema } from './proto-schema.ts';
import { RECORD_TYPES, type RecordType, type Row } from './records.ts';

export class ProtobufEncoder {
  #record: protobuf.Type;
  #json: Map<string, Set<string>>;
  #field: Map<string, string>;

  constructor(types: readonly RecordType[] = RECORD_TYPES) {
    this.#record = protobuf.parse(protoSchema(types), { keepCase: true }).root.lookupType('netwatch.Record');
    this.#json = new Map(types.map((t) => [t.type, new Set(t.columns.filter((c) => c.kind === 'json').map((c) => c.name))]));
    this.#field = new Map(types.map((t) => [t.type, t.type.replace(/-/g, '_')]));
  }

  /** One cycle's records, each length-delimited, as one buffer (a single write per cycle). */
  cycle(recs: ReadonlyArray<{ type: RecordType; row: Row }>): Uint8Array {
    const w = protobuf.Writer.create();
    for (const r of recs) {
      const json = this.#json.get(r.type.type)!;
      const msg: Row = {};
      // Unset is null (proto3 `optional`); json columns travel as JSON text.
      for (const [k, v] of Object.entries(r.row)) if (v !== null && v !== undefined) msg[k] = json.has(k) ? JSON.stringify(v) : v;
      this.#record.encodeDelimited({ [this.#field.get(r.type.type)!]: msg }, w);
    }
    return w.finish();
  }
}
