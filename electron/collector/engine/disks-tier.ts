// Disks tier: usage per mounted file system, read/write rates from cumulative device counters.
import type { Disk } from '../../../shared/index.ts';
import { counterDelta, perSec } from './counters.ts';
import type { Job, TierEnv } from './tier.ts';

export class DisksTier {
  #env: TierEnv;
  #prev = new Map<string, { r: number | null; w: number | null; ts: number }>();
  list: Disk[] = [];
  readonly jobs: Job[];

  constructor(env: TierEnv) {
    this.#env = env;
    this.jobs = [{ key: 'disks', source: 'disks', every: (c) => c.disksMs, run: () => this.read() }];
  }

  async read(): Promise<void> {
    const r = this.#env.status.take('disks', await this.#env.sources.disks());
    if (!r) return;
    const now = this.#env.os.now();
    this.list = r.map((d) => {
      const prev = this.#prev.get(d.device);
      this.#prev.set(d.device, { r: d.readBytes, w: d.writtenBytes, ts: now });
      const rate = (a: number | null | undefined, b: number | null) => {
        if (!prev || a == null || b === null) return null;
        const delta = counterDelta(a, b, now - prev.ts);
        return delta === null ? null : perSec(delta, now - prev.ts);
      };
      return { ...d, readBps: rate(prev?.r, d.readBytes), writeBps: rate(prev?.w, d.writtenBytes) };
    });
  }
}
