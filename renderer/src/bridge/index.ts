// Which bridge this page has: Electron's preload exposes `window.netwatch`; otherwise we are the
// dashboard served by `netwatch serve`.
import type { Bridge } from '../../../shared/index.ts';
import { httpBridge } from './http.ts';

declare global {
  interface Window { netwatch?: Bridge }
}

export const pickBridge = (): Bridge => window.netwatch ?? httpBridge();
export const inElectron = (): boolean => window.netwatch !== undefined;
