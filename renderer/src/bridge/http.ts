// The dashboard's bridge: snapshots over Server-Sent Events, everything else as small JSON requests to
// `netwatch serve` on the same origin. A token given in the page URL (?token=) goes with every request.
import type { Bridge, ConnectionPage, ConnectionQuery, EngineLink, FixedSettings, Settings, SettingsResult, Snapshot, UsageAnswer, UsageQuery, ViewName } from '../../../shared/index.ts';
import { routeOf } from '../../../shared/index.ts';
import { Replay } from '../../../shared/replay.ts';

export function httpBridge(loc: Location = window.location): Bridge {
  const token = new URLSearchParams(loc.search).get('token');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const snaps = new Set<(s: Snapshot) => void>();
  const links = new Set<(l: EngineLink) => void>();
  const settings = new Replay<Settings>();
  let source: EventSource | null = null;

  const open = () => {
    // EventSource cannot send headers: the token goes in the query string for this one request.
    source = new EventSource(`api/stream${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    source.addEventListener('snapshot', (e) => { const s = JSON.parse((e as MessageEvent).data) as Snapshot; for (const cb of snaps) cb(s); });
    source.addEventListener('link', (e) => { const l = JSON.parse((e as MessageEvent).data) as EngineLink; for (const cb of links) cb(l); });
    // EventSource reconnects by itself; meanwhile the page shows the link as down.
    source.onerror = () => { for (const cb of links) cb({ state: 'down', reason: 'lost the connection to netwatch serve; retrying' }); };
  };
  const post = async <T>(url: string, body: unknown): Promise<T> => {
    const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const data = await r.json() as T & { error?: string };
    if (!r.ok && data.error) throw new Error(data.error);
    return data;
  };

  const getSettings = async (): Promise<Settings> => {
    const s = await (await fetch('api/settings', { headers })).json() as Settings;
    settings.set(s);
    return s;
  };

  return {
    onSnapshot(cb) { snaps.add(cb); if (!source) open(); return () => snaps.delete(cb); },
    onLink(cb) { links.add(cb); return () => links.delete(cb); },
    queryConnections: (q: ConnectionQuery) => post<ConnectionPage>('api/query', q),
    usage: (q: UsageQuery) => post<UsageAnswer>('api/usage', q),
    getSettings,
    // One dashboard page holds every view, so its own saves are the only changes it hears of.
    onSettings(cb) {
      const off = settings.subscribe(cb);
      if (settings.current === undefined) void getSettings().catch(() => { /* defaults stay */ });
      return off;
    },
    async setSettings(s: Settings) {
      const r = await post<SettingsResult>('api/settings', s);
      if (r.ok) settings.set(r.settings);
      return r;
    },
    async fixedSettings() { return (await fetch('api/settings/fixed', { headers })).json() as Promise<FixedSettings>; },
    // One page holds every view in the dashboard: a drill-down is a route.
    openView(view: ViewName, arg?: string) { loc.hash = routeOf(view, arg); },
  };
}
