// Human formatting of rates and sizes, used by the CLI, the tray and the renderer alike.

export type RateUnit = 'bytes' | 'bits';
export type Prefix = 'si' | 'binary';

const SI = ['', 'k', 'M', 'G', 'T', 'P'];
const BIN = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];

/** Scales a non-negative quantity to a short form: 1536 → "1.5 Ki" (binary) or "1.5 k" (SI). */
function scale(value: number, prefix: Prefix): { num: string; pre: string } {
  const base = prefix === 'si' ? 1000 : 1024;
  const names = prefix === 'si' ? SI : BIN;
  let v = Number.isFinite(value) && value > 0 ? value : 0;
  let i = 0;
  while (v >= base && i < names.length - 1) {
    v /= base;
    i++;
  }
  // Three significant digits at most: 1.23, 12.3, 123.
  const num = i === 0 ? String(Math.round(v)) : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
  return { num, pre: names[i]! };
}

/** `bytesPerSec` in the chosen unit: "1.50 MB/s" or "12.0 Mbit/s". */
export function formatRate(bytesPerSec: number, unit: RateUnit = 'bytes', prefix: Prefix = 'si'): string {
  const { num, pre } = scale(unit === 'bits' ? bytesPerSec * 8 : bytesPerSec, prefix);
  return unit === 'bits' ? `${num} ${pre}bit/s` : `${num} ${pre}B/s`;
}

/** A byte count: "1.50 GB". */
export function formatBytes(bytes: number, prefix: Prefix = 'si'): string {
  const { num, pre } = scale(bytes, prefix);
  return `${num} ${pre}B`;
}

/**
 * The Wi-Fi band a centre frequency (MHz) lies in: 2.4 GHz (channels 1–14, 2412–2484 MHz), 5 GHz
 * (4910–5895), 6 GHz (Wi-Fi 6E/7, 5925–7125), 60 GHz (802.11ad/ay); null when unknown or outside them.
 */
export function wifiBand(frequencyMhz: number | null): '2.4 GHz' | '5 GHz' | '6 GHz' | '60 GHz' | null {
  if (frequencyMhz === null || !Number.isFinite(frequencyMhz)) return null;
  if (frequencyMhz >= 2400 && frequencyMhz < 2500) return '2.4 GHz';
  if (frequencyMhz >= 4900 && frequencyMhz < 5925) return '5 GHz';
  if (frequencyMhz >= 5925 && frequencyMhz <= 7125) return '6 GHz';
  if (frequencyMhz >= 57000 && frequencyMhz <= 71000) return '60 GHz';
  return null;
}
