// What the tray shows, decided without Electron so it is tested directly.
import { formatRate, totalRates, type Prefix, type RateUnit, type Snapshot } from '../../shared/index.ts';

export interface TrayText { title: string; tooltip: string }

/** `↓1.20 MB/s ↑34.0 kB/s`; a stale engine says so instead of showing old numbers as live. */
export const STARTING: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: starting…' };
/** Shown while the collector restarts: old numbers must not pass for live ones. */
export const STALE: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: collector restarting…' };

/** `only`: the "interfaces in the total" setting (empty = the physical ones, see shared/totals.ts). */
export function trayText(s: Pick<Snapshot, 'interfaces' | 'alerts'> | null, unit: RateUnit = 'bytes', prefix: Prefix = 'si', only: readonly string[] = []): TrayText {
  if (!s) return STARTING;
  const t = totalRates(s.interfaces, only);
  const title = `↓${formatRate(t.rxBps, unit, prefix)} ↑${formatRate(t.txBps, unit, prefix)}`;
  const alerts = s.alerts.active.length;
  return { title, tooltip: `NetWatch\nDownload ${formatRate(t.rxBps, unit, prefix)}\nUpload ${formatRate(t.txBps, unit, prefix)}${alerts ? `\n${alerts} active alert${alerts > 1 ? 's' : ''}` : ''}` };
}
