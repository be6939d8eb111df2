// The one way the renderer gets data. Two implementations: the Electron preload API (window.netwatch,
// over IPC to main, which talks to the collector) and the dashboard client (SSE + fetch to `netwatch
// serve`). The renderer never knows which one it has.
import type { Snapshot } from './contract/snapshot.ts';
import type { ConnectionPage, ConnectionQuery } from './query.ts';
import type { FixedSettings, Settings } from './settings.ts';
import type { UsageAnswer, UsageQuery } from './contract/usage.ts';

/** Views the renderer can show; each drill-down is a window in Electron and a route in the dashboard. */
export const VIEWS = ['popover', 'interface', 'processes', 'connections', 'usage', 'dns', 'alerts', 'settings', 'system'] as const;
export type ViewName = (typeof VIEWS)[number];

/** Whether the engine is feeding us, as the host sees it (the renderer also watches snapshot age). */
export type EngineLink =
  | { state: 'up' }
  | { state: 'down'; reason: string };

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; error: string };

export interface Bridge {
  /** Every snapshot as it arrives (about once per interface tick). Returns an unsubscribe function. */
  onSnapshot(cb: (s: Snapshot) => void): () => void;
  onLink(cb: (link: EngineLink) => void): () => void;
  /** One page of the filtered, sorted socket list of the latest poll. */
  queryConnections(q: ConnectionQuery): Promise<ConnectionPage>;
  /** The usage history (today, this week, a range): totals or a series, answered by the engine. */
  usage(q: UsageQuery): Promise<UsageAnswer>;
  getSettings(): Promise<Settings>;
  /** The settings as the host holds them: at once when known, then after every change from any window. */
  onSettings(cb: (s: Settings) => void): () => void;
  /** Settings the host fixed (command-line flags of `netwatch serve`); absent where nothing can be fixed. */
  fixedSettings?(): Promise<FixedSettings>;
  /** Validated by the host too; a rejected change comes back with the reason. */
  setSettings(s: Settings): Promise<SettingsResult>;
  /** Open a drill-down (a window in Electron, a route in the dashboard); `arg` e.g. an interface name or pid. */
  openView(view: ViewName, arg?: string): void;
}

/** The view and argument a location hash names: `#/interface/eth0` → interface, "eth0". */
export function parseRoute(hash: string): { view: ViewName; arg: string | null } {
  const [, view = 'popover', arg] = hash.replace(/^#?\/?/, '/').split('/');
  const v = (VIEWS as readonly string[]).includes(view) ? (view as ViewName) : 'popover';
  return { view: v, arg: arg ? decodeURIComponent(arg) : null };
}

export const routeOf = (view: ViewName, arg?: string | null): string => `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
