// Writes electron/collector/export/records.proto from the record table (records.ts). Run after adding
// a record type or a column; test/unit/collector/export/protobuf.test.ts fails while they disagree.
import fs from 'node:fs';
import path from 'node:path';
import { RECORD_TYPES } from '../electron/collector/export/records.ts';
import { protoSchema } from '../electron/collector/export/proto-schema.ts';

export const PROTO_FILE = path.join(import.meta.dirname, '..', 'electron', 'collector', 'export', 'records.proto');

if (import.meta.main) {
  fs.writeFileSync(PROTO_FILE, protoSchema(RECORD_TYPES));
  console.log(`wrote ${path.relative(process.cwd(), PROTO_FILE)}`);
}
