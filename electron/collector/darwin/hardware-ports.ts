// macOS interface types: `networksetup -listallhardwareports` names the hardware behind each device
// (Wi-Fi, Ethernet, Thunderbolt, USB adapters by chipset, bridges); name rules cover the rest.
import type { InterfaceType } from '../../../shared/index.ts';

/**
 * Sample (blocks separated by blank lines):
 * `Hardware Port: Wi-Fi` / `Device: en0` / `Ethernet Address: f8:4d:…`
 * `Hardware Port: AX88179A` / `Device: en8`    (a USB Ethernet adapter named after its chipset)
 */
export function parseHardwarePorts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let port: string | null = null;
  for (const line of text.split('\n')) {
    const p = /^Hardware Port: (.+)$/.exec(line.trim());
    if (p) { port = p[1]!; continue; }
    const d = /^Device: (\S+)$/.exec(line.trim());
    if (d && port) { out.set(d[1]!, port); port = null; }
  }
  return out;
}

/** Virtual device families macOS creates (VPN tunnels, AirDrop/AWDL, low-latency WLAN, Apple's private links). */
const VIRTUAL: Array<[RegExp, string]> = [
  [/^utun\d+$/, 'tun'], [/^ipsec\d+$/, 'ipsec'], [/^gif\d+$/, 'gif'], [/^stf\d+$/, 'stf'], [/^awdl\d+$/, 'awdl'],
  [/^llw\d+$/, 'llw'], [/^anpi\d+$/, 'anpi'], [/^bridge\d+$/, 'bridge'], [/^vmnet\d+$/, 'vmnet'], [/^ap\d+$/, 'ap'],
  [/^feth\d+$/, 'feth'], [/^p2p\d+$/, 'p2p'],
];

export function classifyDarwin(name: string, hardwarePort: string | undefined): { type: InterfaceType; virtualKind: string | null } {
  if (/^lo\d+$/.test(name)) return { type: 'Loopback', virtualKind: null };
  if (hardwarePort) {
    if (/Wi-?Fi|AirPort/i.test(hardwarePort)) return { type: 'WiFi', virtualKind: null };
    if (/Bridge/i.test(hardwarePort)) return { type: 'Virtual', virtualKind: 'bridge' };
    if (/iPhone|Bluetooth PAN|Cellular|WWAN/i.test(hardwarePort)) return { type: 'Cellular', virtualKind: null };
    // Ethernet, Thunderbolt ports, USB adapters (often named by chipset: AX88179A, RTL8153…).
    return { type: 'Ethernet', virtualKind: null };
  }
  for (const [re, kind] of VIRTUAL) if (re.test(name)) return { type: 'Virtual', virtualKind: kind };
  return { type: 'Other', virtualKind: null };
}
