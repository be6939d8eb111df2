// What every tier module gets and gives. A tier owns one part of the snapshot: its readings, the state
// that turns readings into rates, and the cadence it wants; the engine (engine.ts) only schedules jobs
// and assembles the snapshot from what the tiers hold.
import {
  OPTIONAL_SOURCE_NAMES, SOURCE_NAMES, ok, unavailable, type EngineConfig, type OptionalSourceName, type SourceName, type SourceStatus,
} from '../../../shared/index.ts';

/** Every source a tier may report on (the optional ones too: this engine always reports them). */
export type AnySource = SourceName | OptionalSourceName;
import type { OsIO } from '../os.ts';
import type { Result, Sources } from '../sources.ts';

/** Per-source status, written by the tier that reads the source. */
export class StatusBoard {
  #s = Object.fromEntries([...SOURCE_NAMES, ...OPTIONAL_SOURCE_NAMES].map((n) => [n, unavailable('not read yet')])) as Record<AnySource, SourceStatus>;
  get(name: AnySource): SourceStatus { return this.#s[name]; }
  set(name: AnySource, st: SourceStatus): void { this.#s[name] = st; }
  /** Records a result's status; returns its value when ok. */
  take<T>(name: AnySource, r: Result<T>): T | undefined {
    this.#s[name] = r.ok ? ok() : r.status;
    return r.ok ? r.value : undefined;
  }
  copy(): Record<AnySource, SourceStatus> { return { ...this.#s }; }
}

export interface TierEnv {
  sources: Sources;
  os: OsIO;
  /** The current config (it changes with `set-config`). */
  config(): EngineConfig;
  status: StatusBoard;
}

/** One scheduled reading of a tier. */
export interface Job {
  /** Unique among jobs; the engine keeps the last start time under it. */
  readonly key: string;
  /** Source whose status an unexpected failure (a throw) becomes. */
  readonly source: AnySource;
  /** Milliseconds between runs for this config and visibility; null = not run at all. */
  every(cfg: EngineConfig, visible: boolean): number | null;
  run(): Promise<void>;
}
