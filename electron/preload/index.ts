// The renderer's whole view of Electron: window.netwatch, a Bridge (shared/bridge.ts) over IPC. Nothing
// else is exposed (no ipcRenderer, no Node); main checks the sender and validates every payload again.
// Sandboxed preloads run as CommonJS with only `electron` available: esbuild bundles this file alone.
import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, EngineLink, Snapshot } from '../../shared/index.ts';
import { CH } from '../main/ipc-channels.ts';

function subscribe<T>(channel: string, cb: (v: T) => void): () => void {
  const listener = (_e: unknown, v: T) => cb(v);
  ipcRenderer.on(channel, listener);
  return () => { ipcRenderer.removeListener(channel, listener); };
}

const bridge: Bridge = {
  onSnapshot: (cb) => subscribe<Snapshot>(CH.snapshot, cb),
  onLink: (cb) => subscribe<EngineLink>(CH.link, cb),
  queryConnections: (q) => ipcRenderer.invoke(CH.query, q),
  getSettings: () => ipcRenderer.invoke(CH.getSettings),
  setSettings: (s) => ipcRenderer.invoke(CH.setSettings, s),
  openView: (view, arg) => { ipcRenderer.send(CH.open, view, arg ?? null); },
};

contextBridge.exposeInMainWorld('netwatch', bridge);
