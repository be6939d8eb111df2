// The engine's sources in words: what each one feeds, and its status as one sentence for a panel that
// is empty because of it ("processes: other users' sockets need root").
import type { SourceName, SourceStatus } from '../../../shared/index.ts';

export const SOURCE_LABELS: Record<SourceName, { label: string; feeds: string }> = {
  interfaces: { label: 'Interfaces', feeds: 'interface counters and rates' },
  wifi: { label: 'Wi-Fi', feeds: 'the Wi-Fi card' },
  connections: { label: 'Sockets', feeds: 'the Connections table' },
  processes: { label: 'Processes', feeds: 'which app owns each socket (Apps, top apps)' },
  destroyEvents: { label: 'Socket-destroy events', feeds: 'short-lived flows in the per-app figures' },
  tcpMetrics: { label: 'Kernel TCP counters', feeds: 'retransmits, resets, failed attempts' },
  gateway: { label: 'Gateway', feeds: 'the default route and its probe' },
  dns: { label: 'DNS', feeds: 'the DNS server and its probe' },
  system: { label: 'CPU, memory, load', feeds: 'the System view\'s first panel' },
  disks: { label: 'Disks', feeds: 'the disks table' },
  history: { label: 'Usage history', feeds: 'traffic per app and interface over days and months' },
};

/** Why a source gives nothing, or null when it is fine. */
export function sourceReason(s: SourceStatus | undefined): string | null {
  if (!s || s.state === 'ok') return null;
  return s.state === 'unavailable' ? s.reason : `failed: ${s.message}`;
}
