// What the tray shows, decided without Electron so it is tested directly.
import { formatRate, totalRates, type Prefix, type RateUnit, type Snapshot } from '../../shared/index.ts';
import type { MenuItem } from './menu.ts';

export interface TrayText { title: string; tooltip: string }

/** `↓1.20 MB/s ↑34.0 kB/s`; a stale engine says so instead of showing old numbers as live. */
export const STARTING: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: starting…' };
/** Shown while the collector restarts: old numbers must not pass for live ones. */
export const STALE: TrayText = { title: '↓– ↑–', tooltip: 'NetWatch: collector restarting…' };

/** While paused the engine sends no snapshots: the last speeds would sit there as if live. */
export const PAUSED: TrayText = { title: '⏸ Paused', tooltip: 'NetWatch: monitoring paused' };

/** `only`: the "interfaces in the total" setting (empty = the physical ones, see shared/totals.ts). */
export function trayText(s: Pick<Snapshot, 'interfaces' | 'alerts'> | null, unit: RateUnit = 'bytes', prefix: Prefix = 'si', only: readonly string[] = [], paused = false): TrayText {
  if (paused) return PAUSED;
  if (!s) return STARTING;
  const t = totalRates(s.interfaces, only);
  const title = `↓${formatRate(t.rxBps, unit, prefix)} ↑${formatRate(t.txBps, unit, prefix)}`;
  const alerts = s.alerts.active.length;
  return { title, tooltip: `NetWatch\nDownload ${formatRate(t.rxBps, unit, prefix)}\nUpload ${formatRate(t.txBps, unit, prefix)}${alerts ? `\n${alerts} active alert${alerts > 1 ? 's' : ''}` : ''}` };
}

/** What changed since the tray was last drawn; only those parts are pushed to Electron. */
export interface TrayUpdate { title?: string; tooltip?: string; menu?: MenuItem[] }

/**
 * Redraws only on change, compared on everything shown: the title, the tooltip (whose alert count
 * can change while the speeds do not) and the context menu's text and state (rebuilding a Linux
 * StatusNotifierItem menu re-sends it over D-Bus, so it is rebuilt only when its text changed).
 */
export class TrayView {
  #title: string | null = null;
  #tooltip: string | null = null;
  #menu: string | null = null;

  next(text: TrayText, menu: MenuItem[]): TrayUpdate {
    const u: TrayUpdate = {};
    if (text.title !== this.#title) u.title = this.#title = text.title;
    if (text.tooltip !== this.#tooltip) u.tooltip = this.#tooltip = text.tooltip;
    const key = JSON.stringify(menu);
    if (key !== this.#menu) { this.#menu = key; u.menu = menu; }
    return u;
  }
}
