// What the tray shows, decided without Electron so it is tested directly.
import { formatRate, type Prefix, type RateUnit, type Snapshot } from '../../shared/index.ts';

export interface TrayText { title: string; tooltip: string }

/** Totals over interfaces that carry real traffic (loopback and virtual links would double count). */
export function totals(s: Pick<Snapshot, 'interfaces'>): { rxBps: number; txBps: number } {
  let rxBps = 0, txBps = 0;
  for (const i of s.interfaces) {
    if (i.type === 'Loopback' || i.type === 'Virtual') continue;
    rxBps += i.rxBps;
    txBps += i.txBps;
  }
  return { rxBps, txBps };
}

/** `↓1.20 MB/s ↑34.0 kB/s`; a stale engine says so instead of showing old numbers as live. */
export const STARTING: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: starting…' };
/** Shown while the collector restarts: old numbers must not pass for live ones. */
export const STALE: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: collector restarting…' };

export function trayText(s: Pick<Snapshot, 'interfaces' | 'alerts'> | null, unit: RateUnit = 'bytes', prefix: Prefix = 'si'): TrayText {
  if (!s) return STARTING;
  const t = totals(s);
  const title = `↓${formatRate(t.rxBps, unit, prefix)} ↑${formatRate(t.txBps, unit, prefix)}`;
  const alerts = s.alerts.active.length;
  return { title, tooltip: `NetWatch\nDownload ${formatRate(t.rxBps, unit, prefix)}\nUpload ${formatRate(t.txBps, unit, prefix)}${alerts ? `\n${alerts} active alert${alerts > 1 ? 's' : ''}` : ''}` };
}
