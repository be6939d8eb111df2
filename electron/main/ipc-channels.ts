// IPC channel names, one per bridge call; electron/preload/index.ts is the other end. Kept apart from
// ipc.ts so the preload bundle carries no schemas.
export const CH = {
  port: 'nw:port', link: 'nw:link', // main → renderer (the port carries snapshots and queries to the collector)
  getSettings: 'nw:get-settings', setSettings: 'nw:set-settings', open: 'nw:open', // renderer → main
} as const;
