// The Electron security checklist as data and pure checks, applied by index.ts to every window.
import { staticFile } from '../../shared/csp.ts';

/** Pages are served from this origin through protocol.handle, never file:// or the network. */
export const APP_ORIGIN = 'app://netwatch';

export { CSP } from '../../shared/csp.ts';

/** webPreferences for every window: isolated, sandboxed, no Node, only the narrow preload. */
export function webPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
    webviewTag: false,
  } as const;
}

/** True only for our own pages; everything else (navigation, window.open, IPC from elsewhere) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'netwatch' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Resolves a request under app://netwatch/ to a file inside `root`, or null (traversal, other hosts). */
export function appPath(url: string, root: string): string | null {
  if (!isAppUrl(url)) return null;
  const rel = staticFile(new URL(url).pathname);
  return rel === null ? null : `${root.replace(/\/$/, '')}/${rel}`;
}
