// IPC channel names between Electron main (electron/main/ipc.ts) and the preload
// (electron/preload/index.ts): two runtimes, so the names live in shared/. Kept apart from the
// schemas so the preload bundle carries none.
export const CH = {
  // main → page. `port` carries snapshots and queries straight to the collector; `link` and `settings`
  // are replayed on every page load (electron/main/page-sessions.ts).
  port: 'nw:port', link: 'nw:link', settings: 'nw:settings',
  // page → main
  getSettings: 'nw:get-settings', setSettings: 'nw:set-settings', open: 'nw:open',
} as const;
