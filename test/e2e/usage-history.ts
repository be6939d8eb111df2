// A usage history made by the real engine from real traffic, with a fake clock (the injected OsIO's
// now) so that a few seconds cover days: two apps of ours (copies of one peer script, so two
// identities) send known bytes over loopback at each step. For the Usage view's tests and screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../electron/collector/engine/engine.ts';
import { nodeOs, type OsIO } from '../../electron/collector/os.ts';
import { createLinuxSources } from '../../electron/collector/linux/index.ts';
import { DEFAULT_HELPER } from '../../electron/collector/platform.ts';
import { defaultConfig } from '../../shared/index.ts';
import { nextMessage, peer } from '../integration/engine-host.ts';
import { ROOT } from '../helpers.ts';

export const APPS = [{ title: 'nwtest-video', bytes: 3_000_000 }, { title: 'nwtest-backup', bytes: 1_000_000 }] as const;

/** An engine in this process with the real Linux sources on a fake clock, writing its history to `db`. */
export function historyEngine(db: string, now: () => number, env?: Record<string, string | undefined>): Engine {
  const clock: OsIO = { ...nodeOs, now };
  return new Engine({
    sources: createLinuxSources(clock, { helperPath: fs.existsSync(DEFAULT_HELPER) ? DEFAULT_HELPER : null, ...(env ? { env } : {}) }),
    os: clock, config: { ...defaultConfig(), probes: false }, emit: () => {}, historyPath: db,
  });
}

/** Writes the history to `db`; returns the fake times of the steps (each step's bytes land in its hour). */
export async function buildHistory(db: string, now = Date.now()): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-usage-peers-'));
  const server = await peer<{ port: number }>('sink-server.ts');
  const kids = [server.child];
  const clients = await Promise.all(APPS.map(async (a) => {
    const script = path.join(dir, `${a.title}.ts`);
    fs.copyFileSync(path.join(ROOT, 'test/integration/peers/sized-client.ts'), script);
    const c = await peer<{ connected: boolean }>(script, [String(server.first.port), a.title]);
    kids.push(c.child);
    return c;
  })).catch((e: Error) => { for (const k of kids) k.kill(); throw e; });
  const day = new Date(now); day.setHours(0, 0, 0, 0);
  const today = day.getTime();
  // Three earlier days at 10:00, then every hour of today so far (half past).
  const steps = [3, 2, 1].map((d) => today - d * 86_400_000 + 10 * 3_600_000);
  for (let t = today + 1_800_000; t < now; t += 3_600_000) steps.push(t);
  let fake = steps[0]! - 60_000;
  const engine = historyEngine(db, () => fake);
  try {
    await engine.pollAll();
    const received = async () => { server.child.send({ type: 'count' }); return (await nextMessage<{ received: number }>(server.child)).received; };
    for (const t of steps) {
      const before = await received();
      await Promise.all(clients.map(async (c, i) => { c.child.send({ send: APPS[i]!.bytes }); await nextMessage(c.child); }));
      while ((await received()) - before < APPS[0].bytes + APPS[1].bytes) await new Promise((r) => setTimeout(r, 10));
      fake = t;
      await engine.pollAll();
    }
  } finally {
    engine.stop();
    for (const c of [server, ...clients]) c.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return steps;
}
