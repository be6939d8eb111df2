// Shared set-up of the browser tests over the demo lab: record it (scripts/demo-recording.ts, root for
// network namespaces), serve the recording with `netwatch serve --replay`, launch Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { demoRecording } from '../../scripts/demo-recording.ts';

/** Why these tests cannot run here, or false. */
export const labSkip: string | false = chromiumSkip
  || (process.getuid?.() === 0 ? false : 'the recording needs network namespaces: run as root (CI does)');

export interface LabReplay { serve: Serve; browser: Browser; stop(): Promise<void> }

/** A `secs`-second recording of the lab, replayed, and a browser. */
export async function labReplay(secs = 12): Promise<LabReplay> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-lab-'));
  await demoRecording(path.join(dir, 'demo.jsonl'), secs);
  const serve = await startServe(['--replay', path.join(dir, 'demo.jsonl')]);
  const browser = await launchChromium();
  return {
    serve, browser,
    stop: async () => { await browser.close(); await serve.stop(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Registers the file's before/after: the lab replay is made once (unless skipped) and stopped at the end. */
export function useLabReplay(secs = 12): { readonly serve: Serve; readonly browser: Browser } {
  let lab: LabReplay | undefined;
  before(async () => { if (!labSkip) lab = await labReplay(secs); }, { timeout: 120_000 });
  after(async () => { await lab?.stop(); });
  return { get serve() { return lab!.serve; }, get browser() { return lab!.browser; } };
}
