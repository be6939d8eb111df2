// The recorded snapshots the export tests run on, both real engine output (test/fixtures/README.md):
// `recording()`: `netwatch record` while a process titled like a spreadsheet formula (with a comma, a
// quote and a newline) talked over loopback; `captureRecording()`: the engine in a namespace lab with
// the packet capture and a port set (scripts/record-capture-fixture.ts): hosts, flows, services,
// connection outcomes, DNS counts, a DNS name starting with '-'.
import { SnapshotSchema, type Snapshot } from '../../../../shared/index.ts';
import { fixture } from '../../../helpers.ts';
import { CAPTURE_FIXTURE } from '../../../../scripts/record-capture-fixture.ts';

const snapshots = (name: string): Snapshot[] => fixture('linux', name).trim().split('\n').map((l) => SnapshotSchema.parse(JSON.parse(l)));

export const recording = (): Snapshot[] => snapshots('netwatch-record-hostile-name--netwatch-vm.txt');
export const captureRecording = (): Snapshot[] => snapshots(CAPTURE_FIXTURE);
