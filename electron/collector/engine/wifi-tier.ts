// Wi-Fi tier: link details of the wireless interfaces the interfaces tier found.
import { unavailable, type Interface, type Wifi } from '../../../shared/index.ts';
import type { Job, TierEnv } from './tier.ts';

export class WifiTier {
  #env: TierEnv;
  #interfaces: () => Interface[];
  list: Wifi[] = [];
  readonly jobs: Job[];

  constructor(env: TierEnv, interfaces: () => Interface[]) {
    this.#env = env;
    this.#interfaces = interfaces;
    this.jobs = [{ key: 'wifi', source: 'wifi', every: (c) => c.systemMs, run: () => this.read() }];
  }

  async read(): Promise<void> {
    const names = this.#interfaces().filter((i) => i.type === 'WiFi').map((i) => i.name);
    if (names.length === 0) { this.list = []; this.#env.status.set('wifi', unavailable('no wireless interface')); return; }
    this.list = this.#env.status.take('wifi', await this.#env.sources.wifi(names)) ?? [];
  }
}
