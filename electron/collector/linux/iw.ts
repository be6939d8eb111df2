// Wi-Fi on Linux: `iw dev <if> link` for the association, /proc/net/wireless for the noise floor.
import type { Wifi } from '../../../shared/index.ts';
import { normaliseMac } from '../mac-address.ts';

/** 802.11 channel from centre frequency (MHz): 2.4 GHz, 5 GHz and 6 GHz bands. */
export function channelOf(freqMhz: number): number | null {
  if (freqMhz === 2484) return 14;
  if (freqMhz >= 2412 && freqMhz <= 2472) return (freqMhz - 2407) / 5;
  if (freqMhz >= 5160 && freqMhz <= 5885) return (freqMhz - 5000) / 5;
  if (freqMhz >= 5955 && freqMhz <= 7115) return (freqMhz - 5950) / 5;
  return null;
}

/**
 * Sample:
 * `Connected to 64:d1:54:68:93:ae (on wlp0s20f3)` / `	SSID: HOME5` / `	freq: 5280` / `	signal: -44 dBm`
 * `	tx bitrate: 866.7 MBit/s VHT-MCS 9 80MHz short GI VHT-NSS 2`   — or `Not connected.`
 */
export function parseIwLink(iface: string, text: string): Wifi {
  const wifi: Wifi = {
    interface: iface, ssid: null, ssidHidden: false, bssid: null, signalDbm: null, noiseDbm: null,
    channel: null, frequencyMhz: null, txBitrateMbps: null, associated: false,
  };
  const connected = /^Connected to (\S+)/m.exec(text);
  if (!connected) return wifi;
  wifi.associated = true;
  wifi.bssid = normaliseMac(connected[1]!);
  const ssid = /^\s*SSID: (.*)$/m.exec(text);
  if (ssid) wifi.ssid = ssid[1]!;
  const freq = /^\s*freq: (\d+(?:\.\d+)?)\b/m.exec(text);
  if (freq) {
    wifi.frequencyMhz = Number(freq[1]);
    wifi.channel = channelOf(Math.round(wifi.frequencyMhz));
  }
  const sig = /^\s*signal: (-?\d+) dBm/m.exec(text);
  if (sig) wifi.signalDbm = Number(sig[1]);
  const tx = /^\s*tx bitrate: (\d+(?:\.\d+)?) MBit\/s/m.exec(text);
  if (tx) wifi.txBitrateMbps = Number(tx[1]);
  return wifi;
}

/**
 * Sample (two header lines, then per interface):
 * ` wlan0: 0000   60.  -50.  -256        0      0      0   1525      0        0`
 * Returns link level and noise in dBm; -256 (or 0 on some drivers) means "not reported".
 */
export function parseProcNetWireless(text: string): Map<string, { signalDbm: number | null; noiseDbm: number | null }> {
  const out = new Map<string, { signalDbm: number | null; noiseDbm: number | null }>();
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s+\S+\s+(-?[\d.]+)\.?\s+(-?[\d.]+)\.?\s+(-?[\d.]+)/.exec(line);
    if (!m) continue;
    const dbm = (v: string) => {
      const n = Number(v.replace(/\.$/, ''));
      return Number.isFinite(n) && n < 0 && n > -256 ? n : null;
    };
    out.set(m[1]!, { signalDbm: dbm(m[3]!), noiseDbm: dbm(m[4]!) });
  }
  return out;
}
