// The recorded snapshots the export tests run on: `netwatch record` while a process titled like a
// spreadsheet formula (with a comma, a quote and a newline) talked over loopback.
import { SnapshotSchema, type Snapshot } from '../../../../shared/index.ts';
import { fixture } from '../../../helpers.ts';

export const recording = (): Snapshot[] =>
  fixture('linux', 'netwatch-record-hostile-name--netwatch-vm.txt').trim().split('\n').map((l) => SnapshotSchema.parse(JSON.parse(l)));
