// macOS Wi-Fi from three generations of tools: `airport -I` (gone since macOS 14.4), `wdutil info`
// (needs root; prints <redacted> where the OS withholds values) and `system_profiler
// SPAirPortDataType -json` (unprivileged but takes seconds). All give the contract's Wifi shape.
import type { Wifi } from '../../../shared/index.ts';
import { normaliseMac } from '../mac-address.ts';

const blank = (iface: string): Wifi => ({
  interface: iface, ssid: null, ssidHidden: false, bssid: null, signalDbm: null, noiseDbm: null,
  channel: null, frequencyMhz: null, txBitrateMbps: null, associated: false,
});

/** Centre frequency (MHz) of a channel in a band (2.4, 5 or 6 GHz). */
export function frequencyOf(channel: number, band: 2 | 5 | 6): number | null {
  if (band === 2) return channel === 14 ? 2484 : channel >= 1 && channel <= 13 ? 2407 + 5 * channel : null;
  if (band === 5) return channel >= 32 && channel <= 177 ? 5000 + 5 * channel : null;
  return channel >= 1 && channel <= 233 ? 5950 + 5 * channel : null;
}

const num = (s: string | undefined): number | null => {
  const n = Number(s);
  return s !== undefined && s.trim() !== '' && Number.isFinite(n) ? n : null;
};
/** A rate in Mbit/s from JSON: finite and above zero, or unknown (JSON.parse turns 1e500 into Infinity). */
const positive = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
/** Values the OS withholds (no Location permission, not root) read `<redacted>`. */
const withheld = (v: string | undefined) => v === '<redacted>';

/**
 * `airport -I` sample:
 * `     agrCtlRSSI: -66` / `    agrCtlNoise: -90` / `     lastTxRate: 195` / `          BSSID: 3c:37:86:15:ad:f9`
 * `           SSID: SnazzleDazzle` / `        channel: 48,80` (channel, then width in MHz or a flag)
 */
export function parseAirportI(iface: string, text: string): Wifi {
  const w = blank(iface);
  const f = (k: string) => new RegExp(`^\\s*${k}: ?(.*)$`, 'm').exec(text)?.[1]?.trim();
  if (f('state') !== 'running' || f('SSID') === undefined) return w;
  w.associated = true;
  const ssid = f('SSID');
  w.ssid = ssid ? ssid : null;
  w.ssidHidden = !ssid;
  w.bssid = normaliseMac(f('BSSID') ?? '');
  w.signalDbm = num(f('agrCtlRSSI'));
  w.noiseDbm = num(f('agrCtlNoise'));
  const rate = num(f('lastTxRate'));
  w.txBitrateMbps = rate !== null && rate >= 0 ? rate : null;
  const ch = num(f('channel')?.split(',')[0]);
  if (ch !== null && Number.isInteger(ch) && ch > 0 && ch < 256) {
    w.channel = ch;
    w.frequencyMhz = frequencyOf(ch, ch <= 14 ? 2 : 5);
  }
  return w;
}

/**
 * `wdutil info` WIFI section sample:
 * `    SSID                 : <redacted>` / `    RSSI                 : -61 dBm` / `    Noise                : -101 dBm`
 * `    Tx Rate              : 86.0 Mbps` / `    Channel              : 5g36/20` / `    Interface Name       : en0`
 */
export function parseWdutil(text: string, iface = 'en0'): Wifi {
  const f = (k: string) => new RegExp(`^\\s*${k}\\s*: (.*)$`, 'm').exec(text)?.[1]?.trim();
  const w = blank(f('Interface Name') ?? iface);
  const ssid = f('SSID');
  if (ssid === undefined || ssid === 'None' || f('Op Mode') === 'None') return w;
  w.associated = true;
  w.ssidHidden = withheld(ssid);
  w.ssid = w.ssidHidden ? null : ssid;
  w.bssid = withheld(f('BSSID')) ? null : normaliseMac(f('BSSID') ?? '');
  w.signalDbm = num(/^(-?\d+) dBm$/.exec(f('RSSI') ?? '')?.[1]);
  w.noiseDbm = num(/^(-?\d+) dBm$/.exec(f('Noise') ?? '')?.[1]);
  w.txBitrateMbps = num(/^([\d.]+) Mbps$/.exec(f('Tx Rate') ?? '')?.[1]);
  const ch = /^([256])g(\d+)\//.exec(f('Channel') ?? '');
  if (ch) {
    w.channel = Number(ch[2]);
    w.frequencyMhz = frequencyOf(w.channel, Number(ch[1]) as 2 | 5 | 6);
  }
  return w;
}

/**
 * `system_profiler SPAirPortDataType -json`: each interface's `spairport_current_network_information`,
 * e.g. `{"_name":"SSID-2","spairport_network_channel":"6 (2GHz, 20MHz)","spairport_network_rate":144,
 * "spairport_signal_noise":"-40 dBm / -97 dBm"}` (older systems: a numeric channel and a BSSID).
 */
export function parseSystemProfilerAirport(text: string): Wifi[] {
  let data: unknown;
  try { data = JSON.parse(text); } catch { return []; }
  const root = (data as { SPAirPortDataType?: unknown })?.SPAirPortDataType;
  if (!Array.isArray(root)) return [];
  const out: Wifi[] = [];
  for (const entry of root) {
    const ifaces = (entry as { spairport_airport_interfaces?: unknown })?.spairport_airport_interfaces;
    if (!Array.isArray(ifaces)) continue;
    for (const i of ifaces as Array<Record<string, unknown>>) {
      const name = typeof i['_name'] === 'string' ? i['_name'] : null;
      if (!name || name.startsWith('awdl')) continue;
      const w = blank(name);
      const cur = i['spairport_current_network_information'] as Record<string, unknown> | undefined;
      if (i['spairport_status_information'] === 'spairport_status_connected' && cur) {
        w.associated = true;
        const ssid = typeof cur['_name'] === 'string' ? cur['_name'] : null;
        w.ssidHidden = ssid === null || ssid === '<redacted>';
        w.ssid = w.ssidHidden ? null : ssid;
        w.bssid = typeof cur['spairport_network_bssid'] === 'string' ? normaliseMac(cur['spairport_network_bssid']) : null;
        const sn = /^(-?\d{1,3}) dBm \/ (-?\d{1,3}) dBm$/.exec(String(cur['spairport_signal_noise'] ?? ''));
        if (sn) { w.signalDbm = Number(sn[1]); w.noiseDbm = Number(sn[2]) || null; }
        w.txBitrateMbps = positive(cur['spairport_network_rate']);
        const chRaw = cur['spairport_network_channel'];
        const ch = /^(\d{1,3})\b(?: \((\d)GHz)?/.exec(String(chRaw ?? ''));
        if (ch) {
          w.channel = Number(ch[1]);
          const band = ch[2] ? (Number(ch[2]) as 2 | 5 | 6) : w.channel <= 14 ? 2 : 5;
          w.frequencyMhz = frequencyOf(w.channel, band);
        }
      }
      out.push(w);
    }
  }
  return out;
}

/**
 * CoreWLAN through `osascript -l JavaScript` (JXA): unprivileged on current macOS, ~0.1 s instead of
 * system_profiler's seconds, so Wi-Fi can follow the interfaces' cadence. Signal, noise, channel and
 * rate need no permission; SSID and BSSID come back nil unless the user granted Location Services.
 * Prints a JSON array, one object per Wi-Fi interface (this script is the format's only writer).
 * kCWChannelBand: 1 = 2.4 GHz, 2 = 5 GHz, 3 = 6 GHz. rssiValue is 0 when not associated.
 */
export const COREWLAN_SCRIPT = `ObjC.import('CoreWLAN');
function str(v) { try { return v && !v.isNil() ? ObjC.unwrap(v) : null; } catch (e) { return null; } }
function num(v) { var n = Number(v); return isFinite(n) ? n : null; }
var list = $.CWWiFiClient.sharedWiFiClient.interfaces, out = [];
for (var k = 0; list && k < list.count; k++) {
  var i = list.objectAtIndex(k), ch = i.wlanChannel, has = ch && !ch.isNil();
  out.push({ interface: str(i.interfaceName), power: !!i.powerOn, ssid: str(i.ssid), bssid: str(i.bssid),
    rssi: num(i.rssiValue), noise: num(i.noiseMeasurement), txRate: num(i.transmitRate),
    channel: has ? num(ch.channelNumber) : null, band: has ? num(ch.channelBand) : null });
}
JSON.stringify(out);`;

const BANDS: Record<number, 2 | 5 | 6> = { 1: 2, 2: 5, 3: 6 };

/** COREWLAN_SCRIPT's output; undefined when it is not that JSON (osascript chatter, an old system). */
export function parseCoreWlan(text: string): Wifi[] | undefined {
  let data: unknown;
  try { data = JSON.parse(text); } catch { return undefined; }
  if (!Array.isArray(data)) return undefined;
  const out: Wifi[] = [];
  for (const d of data as Array<Record<string, unknown>>) {
    if (!d || typeof d.interface !== 'string') continue;
    const w = blank(d.interface);
    const rssi = typeof d.rssi === 'number' ? d.rssi : 0;
    // Off, or on but not joined to a network: CoreWLAN reports an RSSI of 0.
    if (d.power !== true || !(rssi < 0 && rssi > -150)) { out.push(w); continue; }
    w.associated = true;
    w.ssid = typeof d.ssid === 'string' && d.ssid ? d.ssid : null;
    w.ssidHidden = w.ssid === null;
    w.bssid = typeof d.bssid === 'string' ? normaliseMac(d.bssid) : null;
    w.signalDbm = rssi;
    w.noiseDbm = typeof d.noise === 'number' && d.noise < 0 && d.noise > -150 ? d.noise : null;
    w.txBitrateMbps = positive(d.txRate);
    if (typeof d.channel === 'number' && Number.isInteger(d.channel) && d.channel > 0) {
      w.channel = d.channel;
      const band = BANDS[typeof d.band === 'number' ? d.band : 0] ?? (d.channel <= 14 ? 2 : 5);
      w.frequencyMhz = frequencyOf(d.channel, band);
    }
    out.push(w);
  }
  return out;
}
