// The renderer's whole view of Electron: window.netwatch, a Bridge (shared/bridge.ts). Snapshots and
// connection queries travel on this page's own MessagePort to the collector (main hands it over on
// every load and after every collector restart); settings, link state and opening windows go through
// main, which checks the sender and validates every payload. Nothing else is exposed (no ipcRenderer,
// no Node). Sandboxed preloads run as CommonJS with only `electron` available: esbuild bundles this alone.
import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, EngineLink, EngineMessage, Settings, Snapshot } from '../../shared/index.ts';
import { PendingQueries } from '../../shared/requests.ts';
import { CH } from '../../shared/ipc-channels.ts';
import { Replay } from '../../shared/replay.ts';

const snapshots = new Set<(s: Snapshot) => void>();
// Main replays both on every page load (page-sessions.ts); these replay them to subscribers that come
// later than that, so the page never waits for a change that may not come.
const link = new Replay<EngineLink>();
const settings = new Replay<Settings>();
let port: MessagePort | null = null;
const queries = new PendingQueries((m) => {
  if (!port) throw new Error('not connected to the collector yet');
  port.postMessage(m);
}, { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) });

ipcRenderer.on(CH.port, (e) => {
  port?.close();
  queries.failAll('the collector restarted');
  port = e.ports[0] ?? null;
  if (!port) return;
  port.onmessage = (ev: MessageEvent<EngineMessage>) => {
    const m = ev.data;
    if (queries.answer(m)) return;
    if (m.type === 'snapshot') for (const cb of snapshots) cb(m.snapshot);
  };
  port.start();
});
ipcRenderer.on(CH.link, (_e, l: EngineLink) => link.set(l));
ipcRenderer.on(CH.settings, (_e, s: Settings) => settings.set(s));

const bridge: Bridge = {
  onSnapshot: (cb) => { snapshots.add(cb); return () => { snapshots.delete(cb); }; },
  onLink: (cb) => link.subscribe(cb),
  queryConnections: (q) => queries.ask(q),
  usage: (q) => queries.askUsage(q),
  getSettings: () => ipcRenderer.invoke(CH.getSettings),
  onSettings: (cb) => settings.subscribe(cb),
  setSettings: (s) => ipcRenderer.invoke(CH.setSettings, s),
  openView: (view, arg) => { ipcRenderer.send(CH.open, view, arg ?? null); },
};

contextBridge.exposeInMainWorld('netwatch', bridge);
