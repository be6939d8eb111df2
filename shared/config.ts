// Engine configuration: what the shell's settings map onto. `EngineConfigSchema` validates a whole
// config; `EngineConfigPatchSchema` a partial update, merged over the current one by `mergeConfig`
// (a patch never resets the fields it does not name).
import * as z from 'zod/mini';
import { HistoryRetentionSchema, QuotaSchema, defaultHistoryRetention } from './contract/usage.ts';
import { PortSetSchema } from './contract/flows.ts';
import {
  DetectorSwitchesSchema, IntelThresholdsSchema, defaultDetectorSwitches, defaultIntelThresholds,
} from './contract/intel.ts';

const ms = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

export const EngineConfigSchema = z.object({
  /** Interface tick and snapshot cadence, ms. */
  intervalMs: ms(250, 60_000),
  /** Connection/process poll while a view is open, ms. */
  connectionsVisibleMs: ms(500, 60_000),
  /** Connection/process poll while only the tray is shown, ms (see README: cost vs loss). */
  connectionsHiddenMs: ms(1000, 300_000),
  /** Gateway/DNS probe cadence, ms. */
  healthMs: ms(1000, 300_000),
  /** Set false where probing must not send packets (tests on shared machines, metered links). */
  probes: z.boolean(),
  systemMs: ms(1000, 300_000),
  disksMs: ms(5000, 600_000),
  /** Bandwidth alert threshold per interface and direction, bytes/s (Critical at twice this). */
  bandwidthThresholdBps: z.number().check(z.positive()),
  /** Detectors on/off, by the alert category each raises. */
  detectors: DetectorSwitchesSchema,
  /** The intelligence detectors' thresholds and the user's allow-list. */
  intel: IntelThresholdsSchema,
  /** Follow kernel socket-destroy events (short-lived flows); false forces the polling-only path. */
  destroyEvents: z.boolean(),
  /** Data plans per interface, counted from the usage history (at most 16). */
  quotas: z.array(QuotaSchema).check(z.maxLength(16)),
  /** How long the usage history keeps each resolution, days (null: forever); the history tier prunes by it. */
  historyRetention: HistoryRetentionSchema,
  /**
   * Run the packet capture helper where it is built and permitted (CAP_NET_RAW): UDP per process,
   * per-host and per-service bytes, handshakes, DNS. false: never start it.
   */
  capture: z.boolean(),
  /** Ports accounted apart (per port, protocol, direction and peer); needs the capture. At most 16 sets. */
  portSets: z.array(PortSetSchema).check(z.maxLength(16)),
});
export type EngineConfig = z.infer<typeof EngineConfigSchema>;

export const EngineConfigPatchSchema = z.partial(z.extend(EngineConfigSchema, {
  detectors: z.partial(DetectorSwitchesSchema),
}));
export type EngineConfigPatch = z.infer<typeof EngineConfigPatchSchema>;

const DEFAULTS: EngineConfig = {
  intervalMs: 1000,
  connectionsVisibleMs: 2000,
  connectionsHiddenMs: 10_000,
  healthMs: 5000,
  probes: true,
  systemMs: 5000,
  disksMs: 30_000,
  bandwidthThresholdBps: 50_000_000,
  detectors: defaultDetectorSwitches(),
  intel: defaultIntelThresholds(),
  destroyEvents: true,
  quotas: [],
  historyRetention: defaultHistoryRetention(),
  capture: true,
  portSets: [],
};

export const defaultConfig = (): EngineConfig => ({ ...DEFAULTS, detectors: defaultDetectorSwitches(), intel: defaultIntelThresholds(), quotas: [], portSets: [], historyRetention: defaultHistoryRetention() });

/** The current config with a validated patch applied; throws (zod error) on an invalid patch. */
export function mergeConfig(current: EngineConfig, patch: unknown): EngineConfig {
  const p = EngineConfigPatchSchema.parse(patch);
  return EngineConfigSchema.parse({ ...current, ...p, detectors: { ...current.detectors, ...p.detectors } });
}
