// The Protocol Buffers schema of the records (records.ts), generated so it cannot drift from the table:
// one message per record type, fields numbered by column position, and an envelope `Record` whose
// oneof numbers the types by their position. Columns and types are append-only, so numbers never move.
import type { ColumnKind, RecordType } from './records.ts';

const PROTO_TYPE: Record<ColumnKind, string> = { string: 'string', int: 'sint64', float: 'double', bool: 'bool', json: 'string' };

const messageName = (type: string) => type.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

export function protoSchema(types: readonly RecordType[]): string {
  const lines = [
    '// Generated from electron/collector/export/records.ts by scripts/export-schema.ts: do not edit.',
    '// A stream is a sequence of length-delimited (varint length prefix) Record messages.',
    '// json columns hold JSON text; a field left unset is null.',
    'syntax = "proto3";',
    'package netwatch;',
    '',
    'message Record {',
    '  oneof record {',
    ...types.map((t, i) => `    ${messageName(t.type)} ${t.type.replace(/-/g, '_')} = ${i + 1};`),
    '  }',
    '}',
  ];
  for (const t of types) {
    lines.push('', `message ${messageName(t.type)} {`);
    t.columns.forEach((c, i) => lines.push(`  ${c.nullable || c.kind === 'json' ? 'optional ' : ''}${PROTO_TYPE[c.kind]} ${c.name} = ${i + 1};`));
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}
