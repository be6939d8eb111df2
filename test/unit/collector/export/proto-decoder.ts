// A decoder for `netwatch watch --protobuf` written from the committed schema file alone (as a consumer
// in any language would use it): length-delimited netwatch.Record messages back to JSONL-shaped rows.
// Unset optional fields are null; `json` columns (named in records.ts) are parsed back from JSON text.
import protobuf from 'protobufjs';
import { RECORD_TYPES } from '../../../../electron/collector/export/records.ts';
import { PROTO_FILE } from '../../../../scripts/export-schema.ts';

// keepCase: the fields keep the schema's snake_case names (protobufjs camelCases them by default).
const root = new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true });
const Rec = root.lookupType('netwatch.Record');
const jsonCols = new Map(RECORD_TYPES.map((t) => [t.type, new Set(t.columns.filter((c) => c.kind === 'json').map((c) => c.name))]));

export function decodeStream(buf: Uint8Array): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const msg = Rec.decodeDelimited(r) as protobuf.Message & { record?: string };
    const which = Rec.oneofs['record']!.oneof.find((f) => (msg as unknown as Record<string, unknown>)[f] != null)!;
    const inner = (msg as unknown as Record<string, protobuf.Message>)[which]!;
    const type = Rec.fields[which]!.resolvedType as protobuf.Type;
    const obj = type.toObject(inner, { longs: Number, defaults: true }) as Record<string, unknown>;
    const row: Record<string, unknown> = { type: which };
    for (const f of type.fieldsArray) {
      const v = Object.hasOwn(inner, f.name) || !f.options?.['proto3_optional'] ? obj[f.name] : undefined;
      row[f.name] = v === undefined ? null : jsonCols.get(which)!.has(f.name) ? JSON.parse(v as string) : v;
    }
    out.push(row);
  }
  return out;
}
