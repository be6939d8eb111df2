// The one place that looks at the platform: every other module receives a `Sources`.
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { unavailable } from '../../shared/index.ts';
import type { OsIO } from './os.ts';
import type { Sources } from './sources.ts';
import { createLinuxSources } from './linux/index.ts';
import { createDarwinSources } from './darwin/index.ts';

/** Where `npm install` builds the socket helper (scripts/build-native.js). */
export const DEFAULT_HELPER = fileURLToPath(new URL('../../native/build/nw-sockdiag', import.meta.url));

/** The packet capture helper, built beside it when libpcap's headers are there. */
export const DEFAULT_CAPTURE = fileURLToPath(new URL('../../native/build/nw-capture', import.meta.url));

export interface PlatformOptions { helperPath?: string | null; capturePath?: string | null }

export function createSources(os: OsIO, platform: NodeJS.Platform = process.platform, opts: PlatformOptions = {}): Sources {
  switch (platform) {
    case 'linux': {
      const helper = opts.helperPath !== undefined ? opts.helperPath : DEFAULT_HELPER;
      const capture = opts.capturePath !== undefined ? opts.capturePath : DEFAULT_CAPTURE;
      return createLinuxSources(os, {
        helperPath: helper && fs.existsSync(helper) ? helper : null,
        capturePath: capture && fs.existsSync(capture) ? capture : null,
      });
    }
    case 'darwin': {
      const capture = opts.capturePath !== undefined ? opts.capturePath : DEFAULT_CAPTURE;
      return createDarwinSources(os, { capturePath: capture && fs.existsSync(capture) ? capture : null });
    }
    default:
      return unsupported('linux', `platform ${platform} is not supported`);
  }
}

/** Every source says why it is empty; the engine and UI still run. */
function unsupported(platform: 'linux' | 'darwin', why: string): Sources {
  const no = async () => ({ ok: false as const, status: unavailable(why) });
  return {
    platform,
    interfaces: no, sockets: no, tcpCounters: no, wifi: no, gateway: no, dns: no, ping: no, system: no, disks: no,
    processes: { name: () => null, app: () => null, command: () => null },
    routeFingerprint: () => '',
    stop: () => {},
    destroyEvents: (_s, onStatus) => { onStatus(unavailable(why)); return { stop() {} }; },
  };
}
