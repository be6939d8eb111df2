// Display formatting for the current settings and locale: rates in bytes or bits with SI or binary
// prefixes (shared/format.ts), counts with the locale's grouping, times relative to the snapshot.
import { formatBytes, formatRate, type Settings } from '../../../shared/index.ts';

export class Fmt {
  #units: Settings['units'];
  #prefix: Settings['prefix'];
  #int: Intl.NumberFormat;
  #dec: Intl.NumberFormat;
  #small: Intl.NumberFormat;
  #rel: Intl.RelativeTimeFormat;
  #time: Intl.DateTimeFormat;
  #clock: Intl.DateTimeFormat;

  constructor(s: Pick<Settings, 'units' | 'prefix'>, locale?: string) {
    this.#units = s.units;
    this.#prefix = s.prefix;
    this.#int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    this.#dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    this.#small = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    this.#rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    this.#time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    this.#clock = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  }

  rate = (bps: number): string => formatRate(bps, this.#units, this.#prefix);
  bytes = (n: number | null): string => (n === null ? '—' : formatBytes(n, this.#prefix));
  int = (n: number | null): string => (n === null ? '—' : this.#int.format(n));
  dec = (n: number | null): string => (n === null ? '—' : this.#dec.format(n));
  /** Sub-millisecond RTTs (a LAN gateway: 0.04 ms) keep two decimals rather than rounding to 0. */
  ms = (n: number | null): string => (n === null ? '—' : `${(n < 1 ? this.#small : this.#dec).format(n)} ms`);
  pct = (n: number | null): string => (n === null ? '—' : `${this.#dec.format(n)} %`);
  /** `ts` relative to `now` (both epoch ms): "5 min. ago". */
  ago = (ts: number, now: number): string => {
    const s = Math.round((ts - now) / 1000);
    if (Math.abs(s) < 60) return this.#rel.format(s, 'second');
    if (Math.abs(s) < 3600) return this.#rel.format(Math.round(s / 60), 'minute');
    if (Math.abs(s) < 86_400) return this.#rel.format(Math.round(s / 3600), 'hour');
    return this.#rel.format(Math.round(s / 86_400), 'day');
  };
  time = (ts: number): string => this.#time.format(ts);
  /** Wall time of day only (chart tooltips, "collecting since"): "14:03:27". */
  clock = (ts: number): string => this.#clock.format(ts);
  /** A span in ms: "45 s", "12 min", "3.5 h". */
  span = (ms: number): string => {
    const s = ms / 1000;
    return s < 120 ? `${this.#int.format(s)} s` : s < 7200 ? `${this.#int.format(s / 60)} min` : `${this.#dec.format(s / 3600)} h`;
  };
}
