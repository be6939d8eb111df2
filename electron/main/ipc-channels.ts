// IPC channel names, one per bridge call; electron/preload/index.ts is the other end. Kept apart from
// ipc.ts so the preload bundle carries no schemas.
export const CH = {
  snapshot: 'nw:snapshot', link: 'nw:link', // main → renderer
  query: 'nw:query', getSettings: 'nw:get-settings', setSettings: 'nw:set-settings', open: 'nw:open', // renderer → main
} as const;
