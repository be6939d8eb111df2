// Packet capture on macOS: the same native/nw-capture helper (libpcap ships with macOS, over /dev/bpf*).
// macOS has no `any` device, so the helper captures on the interface of the default route (Wi-Fi or
// Ethernet: Ethernet framing; a VPN's utun: DLT_NULL/RAW, decoded too), looked up at each start: after a
// network change the helper fails or is restarted by the capture tier, and follows the new route.
// Apple's PKTAP (`all` interfaces, with the process of each packet) is decoded in files; live it needs a
// private libpcap call, not used until it can be checked on a Mac.
import type { CaptureFeed } from '../sources.ts';
import type { OsIO } from '../os.ts';
import { CaptureClient } from '../capture-client.ts';
import { parseRouteGet } from './route-get.ts';

export function darwinCapture(os: OsIO, helperPath: string): CaptureFeed {
  let client: CaptureClient | null = null;
  let iface: string | null = null;
  return {
    async start() {
      const r = await os.run('route', ['-n', 'get', 'default'], { timeoutMs: 3000 });
      const now = r.ok ? parseRouteGet(r.stdout)?.interface ?? null : null;
      if (!now) return 'unavailable: no default route, so no interface to capture on (macOS has no "any" device)';
      if (now !== iface) { client?.stop(); client = new CaptureClient(os, helperPath, { iface: now }); iface = now; }
      return client!.start();
    },
    async report() {
      return client ? client.report() : { ok: false, reason: 'unavailable: capture not started' };
    },
    stop() { client?.stop(); },
  };
}
