// System tier: CPU busy percent from two samples of CPU times, memory, swap and load.
import type { System } from '../../../shared/index.ts';
import type { SystemReading } from '../sources.ts';
import { busyPct } from './counters.ts';
import type { Job, TierEnv } from './tier.ts';

export class SystemTier {
  #env: TierEnv;
  #cpuPrev: SystemReading['cpu'] | null = null;
  value: System | null = null;
  readonly jobs: Job[];

  constructor(env: TierEnv) {
    this.#env = env;
    this.jobs = [{ key: 'system', source: 'system', every: (c) => c.systemMs, run: () => this.read() }];
  }

  async read(): Promise<void> {
    const r = this.#env.status.take('system', await this.#env.sources.system());
    if (!r) return;
    const prev = this.#cpuPrev;
    this.#cpuPrev = r.cpu;
    this.value = {
      cpuPct: prev ? busyPct(prev.all, r.cpu.all) : 0,
      perCorePct: r.cpu.cores.map((c, i) => (prev?.cores[i] ? busyPct(prev.cores[i], c) : 0)),
      memory: r.memory, swap: r.swap, load: r.load,
    };
  }
}
