import * as z from 'zod/mini';
import { Count, Rate } from './common.ts';

export const INTERFACE_TYPES = ['Ethernet', 'WiFi', 'Loopback', 'Virtual', 'Cellular', 'Other'] as const;
export const InterfaceTypeSchema = z.enum(INTERFACE_TYPES);
export type InterfaceType = z.infer<typeof InterfaceTypeSchema>;

export const InterfaceCountersSchema = z.object({
  /** Bytes received since the interface came up (kernel counter, 64-bit). */
  rxBytes: Count,
  /** Bytes sent since the interface came up. */
  txBytes: Count,
  /** Packets received / sent. */
  rxPackets: Count,
  txPackets: Count,
  /** Receive / transmit errors (packets). */
  rxErrors: Count,
  txErrors: Count,
  /** Packets dropped on receive / transmit. */
  rxDrops: Count,
  txDrops: Count,
  /** Collisions (packets; only half-duplex links report any). */
  collisions: Count,
});
export type InterfaceCounters = z.infer<typeof InterfaceCountersSchema>;

export const InterfaceSchema = z.object({
  /** Kernel name, e.g. `eth0`, `wlp2s0`, `en0`. */
  name: z.string(),
  type: InterfaceTypeSchema,
  /** For Virtual interfaces the mechanism: bridge, veth, tun, tap, wireguard, vlan, docker, bond… else null. */
  virtualKind: z.nullable(z.string()),
  /** Hardware address `aa:bb:cc:dd:ee:ff`, null when the link has none. */
  mac: z.nullable(z.string()),
  /** Addresses with prefix length, e.g. `192.168.1.4/24`, `fe80::1/64`. */
  ipv4: z.array(z.string()),
  ipv6: z.array(z.string()),
  /** Maximum transmission unit in bytes. */
  mtu: z.nullable(z.int().check(z.positive())),
  /** Negotiated link speed in Mbit/s; null when the driver does not say (virtual, Wi-Fi, down). */
  speedMbps: z.nullable(z.number().check(z.positive())),
  /** Administratively up and carrier present. */
  up: z.boolean(),
  /** Kernel operational state: up, down, dormant, unknown, lowerlayerdown… */
  operstate: z.string(),
  counters: InterfaceCountersSchema,
  /** Current rates over the last interface tick: bytes/s and packets/s. */
  rxBps: Rate,
  txBps: Rate,
  rxPps: Rate,
  txPps: Rate,
  /** Last HISTORY_LENGTH rates in bytes/s, oldest first; null where no sample could be taken. */
  history: z.object({ rxBps: z.array(z.nullable(Rate)), txBps: z.array(z.nullable(Rate)) }),
  /** Average rates in bytes/s since the engine first saw this interface, over `sinceMs`. */
  average: z.object({ rxBps: Rate, txBps: Rate, sinceMs: z.number().check(z.nonnegative()) }),
});
export type Interface = z.infer<typeof InterfaceSchema>;

export const WifiSchema = z.object({
  /** Wireless interface name. */
  interface: z.string(),
  /** Network name; null when not associated or withheld. */
  ssid: z.nullable(z.string()),
  /** True when the OS withholds the SSID (e.g. macOS without Location permission). */
  ssidHidden: z.boolean(),
  /** Access point MAC, normalised to zero-padded lower case. */
  bssid: z.nullable(z.string()),
  /** Received signal strength in dBm (negative; -30 excellent, -90 unusable). */
  signalDbm: z.nullable(z.number()),
  /** Noise floor in dBm. */
  noiseDbm: z.nullable(z.number()),
  channel: z.nullable(z.int()),
  /** Centre frequency in MHz. */
  frequencyMhz: z.nullable(z.number()),
  /** Current transmit bitrate in Mbit/s. */
  txBitrateMbps: z.nullable(z.number()),
  associated: z.boolean(),
});
export type Wifi = z.infer<typeof WifiSchema>;
