// `netwatch snapshot` without --json: the snapshot as a person reads it in a terminal. Pure: text out.
import { formatBytes, formatRate, totalRates, type Probe, type Snapshot, type SourceStatus } from '../../shared/index.ts';

const TOP_PROCESSES = 10;

/** Columns padded to their widest cell; the last column is not padded. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

const why = (s: SourceStatus): string => (s.state === 'ok' ? 'ok' : s.state === 'unavailable' ? `unavailable: ${s.reason}` : `error: ${s.message}`);

function probe(p: Probe | null): string {
  if (!p) return 'not probed';
  if (p.status.state !== 'ok') return `probe ${why(p.status)}`;
  return `${p.rttMs === null ? 'no reply' : `${p.rttMs.toFixed(1)} ms`}, ${p.lossPct === null ? '—' : `${Math.round(p.lossPct)} %`} loss`;
}

/**
 * Sample (first lines):
 * `netwatch on vm (linux) at 2026-12-01T10:30:00.000Z, rates over 1 s`
 * `Total  ↓ 1.52 kB/s  ↑ 880 B/s`
 */
export function snapshotSummary(s: Snapshot): string {
  const out: string[] = [];
  const total = totalRates(s.interfaces);
  out.push(`netwatch on ${s.hostname} (${s.platform}) at ${new Date(s.ts).toISOString()}, rates over ${s.intervalMs / 1000} s`);
  out.push(`Total  ↓ ${formatRate(total.rxBps)}  ↑ ${formatRate(total.txBps)}`, '');

  out.push(`Interfaces (${s.interfaces.length})`);
  if (s.interfaces.length) {
    out.push(...table([
      ['name', 'type', 'state', '↓ rate', '↑ rate', 'addresses'],
      ...s.interfaces.map((i) => [
        i.name, i.virtualKind ? `${i.type} (${i.virtualKind})` : i.type, i.up ? 'up' : i.operstate,
        formatRate(i.rxBps), formatRate(i.txBps), [...i.ipv4, ...i.ipv6].join(' '),
      ]),
    ]));
  }
  for (const w of s.wifi) {
    const net = !w.associated ? 'not associated' : w.ssidHidden ? 'SSID withheld by the OS' : w.ssid ?? 'no SSID';
    out.push(`  Wi-Fi ${w.interface}: ${net}${w.signalDbm === null ? '' : `, ${w.signalDbm} dBm`}${w.channel === null ? '' : `, channel ${w.channel}`}`);
  }
  out.push('');

  const h = s.health;
  out.push('Health');
  out.push(`  gateway  ${h.gateway ? `${h.gateway.ip}${h.gateway.interface ? ` via ${h.gateway.interface}` : ''}: ${probe(h.gatewayProbe)}` : 'no default route'}`);
  out.push(`  DNS      ${h.dns ? `${h.dns.server} (${h.dns.source}): ${probe(h.dnsProbe)}` : 'none configured'}`, '');

  const states = Object.entries(s.tcpStates).filter(([, n]) => n > 0).map(([st, n]) => `${st} ${n}`).join(', ');
  out.push(`Connections: ${s.totalSockets} socket${s.totalSockets === 1 ? "" : "s"}${states ? ` (TCP ${states})` : ''}`);
  const procs = [...s.processes].sort((a, b) => b.rxBps + b.txBps - (a.rxBps + a.txBps)).slice(0, TOP_PROCESSES);
  if (procs.length) {
    out.push(`Top processes by rate (${procs.length} of ${s.processes.length})`);
    out.push(...table([
      ['pid', 'name', '↓ rate', '↑ rate', '↓ total', '↑ total', 'sockets'],
      ...procs.map((p) => [String(p.pid), p.name, formatRate(p.rxBps), formatRate(p.txBps), formatBytes(p.rxBytes), formatBytes(p.txBytes), String(p.connections)]),
    ]));
  }
  out.push('');

  if (s.system) {
    const m = s.system.memory;
    out.push(`System: CPU ${s.system.cpuPct.toFixed(0)} %, memory ${formatBytes(m.usedBytes)} of ${formatBytes(m.totalBytes)}, load ${s.system.load.map((l) => l.toFixed(2)).join(' ')}`);
  }
  out.push(s.alerts.active.length ? `Alerts (${s.alerts.active.length} active)` : 'Alerts: none active');
  for (const a of s.alerts.active) out.push(`  ${a.severity.padEnd(8)} ${a.title}: ${a.detail}`);
  const missing = Object.entries(s.sources).filter(([, st]) => st.state !== 'ok');
  if (missing.length) {
    out.push('Not available here');
    for (const [name, st] of missing) out.push(`  ${name}: ${why(st)}`);
  }
  return out.join('\n') + '\n';
}
