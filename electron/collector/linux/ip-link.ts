// `ip -j -d link show`: link type and virtual kind (veth, bridge, tun…), which sysfs cannot tell apart.
import type { InterfaceType } from '../../../shared/index.ts';

export interface LinkInfo {
  name: string;
  /** iproute2's link_type: ether, loopback, none, ieee802.11, rawip… */
  linkType: string | null;
  /** linkinfo.info_kind (veth, bridge, tun, wireguard, vlan…); for tun devices the tun/tap type. */
  kind: string | null;
  /** Bus of the parent device (pci, usb, virtio…) when the link has hardware behind it. */
  parentBus: string | null;
  mac: string | null;
  mtu: number | null;
  operstate: string | null;
  /** Name of the bridge/bond this link is enslaved to. */
  master: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Sample (one element of the JSON array):
 * {"ifindex":4,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1400,"operstate":"UP",
 *  "link_type":"ether","address":"02:fc:00:00:00:01","parentbus":"virtio","parentdev":"virtio2"}
 * {"ifname":"vethA","master":"br0","link_type":"ether","linkinfo":{"info_kind":"veth","info_slave_kind":"bridge"}}
 */
export function parseIpLinkJson(text: string): LinkInfo[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('ip -j link: output is not JSON');
  }
  if (!Array.isArray(data)) throw new Error('ip -j link: expected a JSON array');
  const out: LinkInfo[] = [];
  for (const raw of data) {
    if (typeof raw !== 'object' || raw === null) continue;
    const o = raw as Record<string, unknown>;
    const name = str(o['ifname']);
    if (!name) continue;
    const li = (typeof o['linkinfo'] === 'object' && o['linkinfo'] !== null ? o['linkinfo'] : {}) as Record<string, unknown>;
    const infoData = (typeof li['info_data'] === 'object' && li['info_data'] !== null ? li['info_data'] : {}) as Record<string, unknown>;
    let kind = str(li['info_kind']);
    if (kind === 'tun') kind = str(infoData['type']) ?? 'tun';
    // A whole number of bytes (the kernel's is a u32); anything else, 1e500 included, is no MTU.
    const mtu = Number.isSafeInteger(o['mtu']) && (o['mtu'] as number) > 0 ? o['mtu'] as number : null;
    out.push({
      name, kind, mtu,
      linkType: str(o['link_type']),
      parentBus: str(o['parentbus']),
      mac: str(o['address']),
      operstate: str(o['operstate'])?.toLowerCase() ?? null,
      master: str(o['master']),
    });
  }
  return out;
}

/** What sysfs says of an interface, used when `ip` is missing and to spot Wi-Fi and WWAN. */
export interface SysfsHints {
  /** ARPHRD number from /sys/class/net/X/type (1 ether, 772 loopback, 65534 none, 519 rawip, 801 ieee80211). */
  arphrd: number | null;
  /** DEVTYPE from uevent: wlan, wwan, bridge, vlan, wireguard, bond… */
  devtype: string | null;
  /** /sys/class/net/X/wireless or phy80211 exists. */
  wireless: boolean;
  /** /sys/class/net/X/device exists: real hardware behind it. */
  hasDevice: boolean;
  /** tun_flags present: 0x1 tun, 0x2 tap. */
  tunFlags: number | null;
  bridge: boolean;
}

const VIRTUAL_KINDS = new Set([
  'veth', 'bridge', 'tun', 'tap', 'wireguard', 'vlan', 'macvlan', 'macvtap', 'ipvlan', 'vxlan', 'geneve',
  'gre', 'gretap', 'ip6gre', 'ipip', 'sit', 'ip6tnl', 'bond', 'team', 'dummy', 'ifb', 'vrf', 'nlmon', 'vcan', 'xfrm',
]);
const DOCKER_NAME = /^(docker\d+|br-[0-9a-f]{12})$/;

/** Decides an interface's type from `ip` and sysfs facts; pure so every rule is tested. */
export function classifyLinux(name: string, link: LinkInfo | undefined, hints: SysfsHints):
  { type: InterfaceType; virtualKind: string | null } {
  if (link?.linkType === 'loopback' || hints.arphrd === 772 || name === 'lo') return { type: 'Loopback', virtualKind: null };
  if (hints.wireless || hints.devtype === 'wlan' || link?.linkType === 'ieee802.11') return { type: 'WiFi', virtualKind: null };
  if (hints.devtype === 'wwan' || hints.arphrd === 519 || /^(wwan|rmnet|ccmni)\d/.test(name)) return { type: 'Cellular', virtualKind: null };
  let kind = link?.kind ?? null;
  if (!kind) {
    if (hints.bridge || hints.devtype === 'bridge') kind = 'bridge';
    else if (hints.tunFlags !== null) kind = hints.tunFlags & 0x2 ? 'tap' : 'tun';
    else if (hints.devtype && VIRTUAL_KINDS.has(hints.devtype)) kind = hints.devtype;
  }
  if (kind === 'bridge' && DOCKER_NAME.test(name)) return { type: 'Virtual', virtualKind: 'docker' };
  if (kind && VIRTUAL_KINDS.has(kind)) return { type: 'Virtual', virtualKind: kind };
  if (kind) return { type: 'Virtual', virtualKind: kind };
  // No kind and no hardware: a virtual device whose kind we could not learn (e.g. `ip` missing).
  if (!hints.hasDevice && !link?.parentBus) return { type: 'Virtual', virtualKind: null };
  if (link?.linkType === 'ether' || hints.arphrd === 1) return { type: 'Ethernet', virtualKind: null };
  return { type: 'Other', virtualKind: null };
}
