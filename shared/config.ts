// Engine configuration: what the shell's settings map onto. Every field has a default, so a partial or
// older settings file still yields a full config.
import { z } from 'zod';

export const EngineConfigSchema = z.object({
  /** Interface tick and snapshot cadence, ms. */
  intervalMs: z.number().int().min(250).max(60_000).default(1000),
  /** Connection/process poll while a view is open, ms. */
  connectionsVisibleMs: z.number().int().min(500).max(60_000).default(2000),
  /** Connection/process poll while only the tray is shown, ms (see README: cost vs loss). */
  connectionsHiddenMs: z.number().int().min(1000).max(300_000).default(10_000),
  /** Gateway/DNS probe cadence, ms. */
  healthMs: z.number().int().min(1000).max(300_000).default(5000),
  /** Set false where probing must not send packets (tests on shared machines, metered links). */
  probes: z.boolean().default(true),
  systemMs: z.number().int().min(1000).max(300_000).default(5000),
  disksMs: z.number().int().min(5000).max(600_000).default(30_000),
  /** Bandwidth alert threshold per interface and direction, bytes/s (Critical at twice this). */
  bandwidthThresholdBps: z.number().positive().default(50_000_000),
  /** Detectors on/off; only bandwidth exists so far. */
  detectors: z.object({ bandwidth: z.boolean().default(true) }).prefault({}),
  /** Follow kernel socket-destroy events when privileged; false forces the unprivileged path. */
  destroyEvents: z.boolean().default(true),
});
export type EngineConfig = z.infer<typeof EngineConfigSchema>;
export type EngineConfigInput = z.input<typeof EngineConfigSchema>;

export const defaultConfig = (): EngineConfig => EngineConfigSchema.parse({});
