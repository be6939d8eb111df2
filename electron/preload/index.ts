// The renderer's whole view of Electron: window.netwatch, a Bridge (shared/bridge.ts). Snapshots and
// connection queries travel on this page's own MessagePort to the collector (main hands it over on
// every load and after every collector restart); settings, link state and opening windows go through
// main, which checks the sender and validates every payload. Nothing else is exposed (no ipcRenderer,
// no Node). Sandboxed preloads run as CommonJS with only `electron` available: esbuild bundles this alone.
import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, EngineLink, EngineMessage, Snapshot } from '../../shared/index.ts';
import { PendingQueries } from '../../shared/requests.ts';
import { CH } from '../main/ipc-channels.ts';

const snapshots = new Set<(s: Snapshot) => void>();
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

const bridge: Bridge = {
  onSnapshot: (cb) => { snapshots.add(cb); return () => { snapshots.delete(cb); }; },
  onLink: (cb) => {
    const listener = (_e: unknown, l: EngineLink) => cb(l);
    ipcRenderer.on(CH.link, listener);
    return () => { ipcRenderer.removeListener(CH.link, listener); };
  },
  queryConnections: (q) => queries.ask(q),
  getSettings: () => ipcRenderer.invoke(CH.getSettings),
  setSettings: (s) => ipcRenderer.invoke(CH.setSettings, s),
  openView: (view, arg) => { ipcRenderer.send(CH.open, view, arg ?? null); },
};

contextBridge.exposeInMainWorld('netwatch', bridge);
