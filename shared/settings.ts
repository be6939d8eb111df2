// User settings: what the Settings window edits and the shell persists. Plain data, validated the
// same way in the renderer (inline) and in main (on load and on every change).
import * as z from 'zod/mini';
import { ALERT_CATEGORIES } from './contract/health.ts';
import type { EngineConfigPatch } from './config.ts';
import { QuotaSchema } from './contract/usage.ts';

export const SETTINGS_VERSION = 1;

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Rates in bytes/s or bits/s, with SI (kB = 1000) or binary (KiB = 1024) prefixes. */
  units: z.enum(['bytes', 'bits']),
  prefix: z.enum(['si', 'binary']),
  /** Interface tick, ms. */
  samplingIntervalMs: z.int().check(z.gte(250), z.lte(60_000)),
  /** Bandwidth alert threshold per interface and direction, bytes/s. */
  bandwidthThresholdBps: z.number().check(z.positive()),
  detectors: z.object({ bandwidth: z.boolean() }),
  notifications: z.object({
    enabled: z.boolean(),
    /** Categories never notified (still listed in the Alerts window). */
    muted: z.array(z.enum(ALERT_CATEGORIES)),
    perMinute: z.int().check(z.gte(1), z.lte(60)),
  }),
  /** Interfaces whose traffic makes the tray total; empty = every physical interface. */
  totalInterfaces: z.array(z.string().check(z.maxLength(64))),
  /** Ports whose traffic is accounted separately (e.g. 443, 22). */
  accountPorts: z.array(z.int().check(z.gte(1), z.lte(65535))),
  launchAtLogin: z.boolean(),
  /** Gateway/DNS probes (they send packets). */
  probes: z.boolean(),
  /** Data plans: a monthly limit per interface with its reset day (alerts at 80 % and 100 %). */
  quotas: z.array(QuotaSchema).check(z.maxLength(16)),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings = (): Settings => ({
  version: SETTINGS_VERSION, units: 'bytes', prefix: 'si', samplingIntervalMs: 1000, bandwidthThresholdBps: 50_000_000,
  detectors: { bandwidth: true }, notifications: { enabled: true, muted: [], perMinute: 5 },
  totalInterfaces: [], accountPorts: [], launchAtLogin: false, probes: true, quotas: [],
});

/** The part of the settings the engine applies. */
export function engineConfigOf(s: Settings): EngineConfigPatch {
  return {
    intervalMs: s.samplingIntervalMs, bandwidthThresholdBps: s.bandwidthThresholdBps,
    detectors: { bandwidth: s.detectors.bandwidth }, probes: s.probes, quotas: s.quotas,
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
