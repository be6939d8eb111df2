// User settings: what the Settings window edits and the shell persists. Plain data, validated the
// same way in the renderer (inline) and in main (on load and on every change).
import * as z from 'zod/mini';
import { ALERT_CATEGORIES } from './contract/health.ts';
import type { EngineConfigPatch } from './config.ts';
import { HistoryRetentionSchema, QuotaSchema, defaultHistoryRetention } from './contract/usage.ts';
import {
  DetectorSwitchesSchema, IntelThresholdsSchema, defaultDetectorSwitches, defaultIntelThresholds,
} from './contract/intel.ts';

export const SETTINGS_VERSION = 1;

/**
 * Allowed ranges, in the stored units (ms, bytes/s, counts): the schema checks them and the Settings
 * view says them in the user's units ("between 0.25 and 60 s").
 */
export const SETTINGS_RANGES = {
  samplingIntervalMs: { min: 250, max: 60_000 },
  /** 1 kB/s (8 kbit/s) to 100 GB/s (800 Gbit/s): below, every idle link alerts; above, no link reaches it. */
  bandwidthThresholdBps: { min: 1000, max: 100e9 },
  perMinute: { min: 1, max: 60 },
  port: { min: 1, max: 65535 },
} as const;
const R = SETTINGS_RANGES;

/** Acknowledged alerts stay acknowledged this many (newest kept); snoozes at most this many at once. */
export const MAX_ACKED = 200;
export const MAX_SNOOZED = 50;

/**
 * What the user did about alerts. Kept by the host with the settings (not in one page's storage): every
 * window and browser sees the same marks, they survive a reload and a restart of `netwatch serve`, and
 * the host's notifications can honour a snooze.
 */
export const AlertMarksSchema = z.object({
  /** Ids of alerts the user has seen (an alert id is one raising of a condition). */
  acknowledged: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(MAX_ACKED)),
  /** Conditions (alert keys, e.g. `bandwidth:eth0:rx`) set aside until an epoch ms. */
  snoozed: z.array(z.object({ key: z.string().check(z.maxLength(200)), untilTs: z.number() })).check(z.maxLength(MAX_SNOOZED)),
});
export type AlertMarks = z.infer<typeof AlertMarksSchema>;

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Rates in bytes/s or bits/s, with SI (kB = 1000) or binary (KiB = 1024) prefixes. */
  units: z.enum(['bytes', 'bits']),
  prefix: z.enum(['si', 'binary']),
  /** Interface tick, ms. */
  samplingIntervalMs: z.int().check(z.gte(R.samplingIntervalMs.min), z.lte(R.samplingIntervalMs.max)),
  /** Bandwidth alert threshold per interface and direction, bytes/s. */
  bandwidthThresholdBps: z.number().check(z.gte(R.bandwidthThresholdBps.min), z.lte(R.bandwidthThresholdBps.max)),
  /** Detectors on/off, by the alert category each raises. */
  detectors: DetectorSwitchesSchema,
  /** Port-scan, beaconing and DNS-tunnel thresholds, and the user's allow-list (by app, host or domain). */
  intel: IntelThresholdsSchema,
  notifications: z.object({
    enabled: z.boolean(),
    /** Categories never notified (still listed in the Alerts window). */
    muted: z.array(z.enum(ALERT_CATEGORIES)),
    perMinute: z.int().check(z.gte(R.perMinute.min), z.lte(R.perMinute.max)),
  }),
  /** Interfaces whose traffic makes the tray total; empty = every physical interface. */
  totalInterfaces: z.array(z.string().check(z.maxLength(64))),
  /** Ports whose traffic is accounted separately (e.g. 443, 22). */
  accountPorts: z.array(z.int().check(z.gte(R.port.min), z.lte(R.port.max))),
  launchAtLogin: z.boolean(),
  /** Gateway/DNS probes (they send packets). */
  probes: z.boolean(),
  /** Data plans: a monthly limit per interface with its reset day (alerts at 80 % and 100 %). */
  quotas: z.array(QuotaSchema).check(z.maxLength(16)),
  /** How long the usage history keeps 5-minute, hourly, daily and monthly rows, days (null: forever). */
  historyRetention: HistoryRetentionSchema,
  alertMarks: AlertMarksSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Alert categories that have a detector (the others are named in the contract, not built yet). */
export const DETECTORS = Object.keys(SettingsSchema.shape.detectors.shape) as Array<keyof Settings['detectors']>;

export const defaultSettings = (): Settings => ({
  version: SETTINGS_VERSION, units: 'bytes', prefix: 'si', samplingIntervalMs: 1000, bandwidthThresholdBps: 50_000_000,
  detectors: defaultDetectorSwitches(), intel: defaultIntelThresholds(), notifications: { enabled: true, muted: [], perMinute: 5 },
  totalInterfaces: [], accountPorts: [], launchAtLogin: false, probes: true, quotas: [], alertMarks: { acknowledged: [], snoozed: [] },
  historyRetention: defaultHistoryRetention(),
});

/** A rate unit a threshold can be typed in: its label and how many bytes/s one of it is. */
export interface RateUnitChoice { label: string; bytesPerSec: number }

/** The units a rate can be typed in under the settings: kB/s, MB/s, GB/s — or kbit/s… or KiB/s… */
export function rateUnitChoices(units: Settings['units'], prefix: Settings['prefix']): RateUnitChoice[] {
  const base = prefix === 'si' ? 1000 : 1024;
  const names = prefix === 'si' ? ['k', 'M', 'G'] : ['Ki', 'Mi', 'Gi'];
  return names.map((p, i) => ({
    label: units === 'bits' ? `${p}bit/s` : `${p}B/s`,
    bytesPerSec: base ** (i + 1) / (units === 'bits' ? 8 : 1),
  }));
}

/** `bytesPerSec` as a number in the largest unit that keeps it ≥ 1: 50e6 → 50 MB/s, or 400 Mbit/s. */
export function toRateUnit(bytesPerSec: number, units: Settings['units'], prefix: Settings['prefix']): { value: number; unit: RateUnitChoice } {
  const choices = rateUnitChoices(units, prefix);
  const unit = [...choices].reverse().find((c) => bytesPerSec >= c.bytesPerSec) ?? choices[0]!;
  // Twelve significant digits: 0.1 + 0.2 style noise never shows in the field.
  return { value: Number((bytesPerSec / unit.bytesPerSec).toPrecision(12)), unit };
}

/** The part of the settings the engine applies. */
export function engineConfigOf(s: Settings): EngineConfigPatch {
  return {
    intervalMs: s.samplingIntervalMs, bandwidthThresholdBps: s.bandwidthThresholdBps,
    detectors: { ...s.detectors }, intel: s.intel, probes: s.probes, quotas: s.quotas, historyRetention: s.historyRetention,
    // One set, both protocols per port: the Settings window lists port numbers only. A port set holds
    // 256 ports at most (128 numbers × 2): more would make the engine refuse the whole config.
    portSets: s.accountPorts.length === 0 ? [] : [{ name: 'Accounted ports', ports: [...new Set(s.accountPorts)].slice(0, 128).flatMap((port) => [{ port, protocol: 'tcp' as const }, { port, protocol: 'udp' as const }]) }],
  };
}

/**
 * Settings a host fixed (netwatch serve's --no-probes, --interval, --bandwidth-threshold): each field's
 * value and the flag that set it. They win over saved or submitted settings, and the page shows them
 * as fixed, so a save in the dashboard cannot turn probes back on.
 */
export type FixedSettings = { [K in keyof Settings]?: { value: Settings[K]; by: string } };

export function withFixed(s: Settings, fixed: FixedSettings): Settings {
  const out = { ...s } as Record<string, unknown>;
  for (const [k, f] of Object.entries(fixed)) if (f) out[k] = f.value;
  return out as Settings;
}

/**
 * The file system calls a settings file needs, given by each host (Electron main, `netwatch serve`), so
 * both load, validate and set aside a corrupt file the same way. `read` throws Node's error (with `code`).
 */
export interface SettingsFileOps {
  read(file: string): string;
  rename(from: string, to: string): void;
  /** Writes the text whole or not at all (temp file + rename), creating the folder. */
  writeAtomic(file: string, text: string): void;
}

/** The part of node:fs the settings file uses, typed here so shared/ names no Node module. */
export interface SettingsFs {
  readFileSync(file: string, encoding: 'utf8'): string;
  renameSync(from: string, to: string): void;
  mkdirSync(dir: string, opts: { recursive: true; mode?: number }): unknown;
  writeFileSync(file: string, text: string, opts: { mode: number }): void;
}

/** The operations over node:fs (hosts pass `fs` and `process.pid`): the folder made private, a temp file renamed over the old. */
export function settingsFileOps(fs: SettingsFs, pid: number): SettingsFileOps {
  return {
    read: (file) => fs.readFileSync(file, 'utf8'),
    rename: (from, to) => fs.renameSync(from, to),
    writeAtomic: (file, text) => {
      fs.mkdirSync(file.slice(0, Math.max(1, file.lastIndexOf('/'))), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${pid}.tmp`;
      fs.writeFileSync(tmp, text, { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
  };
}

export interface LoadedSettings { settings: Settings; notice: string | null }

const codeOf = (e: unknown): string => (e as { code?: string }).code ?? (e as Error).message;
const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/**
 * Settings from a JSON file. Missing: defaults, no notice. Unreadable, not JSON or invalid values:
 * defaults, the file moved aside as `<name>.corrupt-<now>.json`, and a notice to show — never a crash,
 * never a silent loss. Fields added in later versions fall back to their defaults.
 */
export function loadSettingsFile(ops: SettingsFileOps, file: string, now: number): LoadedSettings {
  let text: string;
  try {
    text = ops.read(file);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return { settings: defaultSettings(), notice: null };
    return { settings: defaultSettings(), notice: `Settings could not be read (${codeOf(e)}); using defaults. ${keepAside(ops, file, now)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { settings: defaultSettings(), notice: `Settings file was not valid JSON; using defaults. ${keepAside(ops, file, now)}` };
  }
  // Wrong values are refused whole. An array is an object too ({...[1,2]} would merge into defaults
  // and pass): it is refused like any other non-object, with the notice and the file kept aside.
  const merged = typeof data === 'object' && data !== null && !Array.isArray(data) ? withDefaults(data as Record<string, unknown>) : data;
  const parsed = SettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(root)').join(', ');
    return { settings: defaultSettings(), notice: `Settings had invalid values (${where}); using defaults. ${keepAside(ops, file, now)}` };
  }
  return { settings: parsed.data, notice: null };
}

/** The defaults under a stored object, one level deeper for the groups that gained fields (detectors, intel). */
function withDefaults(data: Record<string, unknown>): unknown {
  const d = defaultSettings();
  const sub = (k: 'detectors' | 'intel') => {
    const v = data[k];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...d[k], ...v } : v ?? d[k];
  };
  return { ...d, ...data, detectors: sub('detectors'), intel: sub('intel') };
}

function keepAside(ops: SettingsFileOps, file: string, now: number): string {
  const backup = `${file.replace(/\.json$/, '')}.corrupt-${now}.json`;
  try {
    ops.rename(file, backup);
    return `The old file was kept as ${baseName(backup)}.`;
  } catch (e) {
    return `The old file could not be moved aside (${codeOf(e)}).`;
  }
}

/** Validates (throws the zod error on invalid settings), then writes atomically. */
export function saveSettingsFile(ops: SettingsFileOps, file: string, settings: unknown): Settings {
  const valid = SettingsSchema.parse(settings);
  ops.writeAtomic(file, JSON.stringify(valid, null, 2) + '\n');
  return valid;
}
