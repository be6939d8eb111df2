// The layering rule is enforced by lint: these cases show each forbidden import is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import { ROOT } from '../../helpers.ts';

const eslint = new ESLint({ cwd: ROOT });
async function errors(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('shared/ may not import Node, Electron or other layers', async () => {
  assert.match((await errors('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;"))[0]!, /no Node modules/);
  assert.match((await errors('shared/x.ts', "import os from 'os';\nexport const a = os;"))[0]!, /no Node modules/);
  assert.match((await errors('shared/x.ts', "import { app } from 'electron';\nexport const a = app;"))[0]!, /must not import electron/);
  assert.match((await errors('shared/x.ts', "import { Engine } from '../electron/collector/engine/engine.ts';\nexport const a = Engine;"))[0]!, /only shared/);
  assert.deepEqual(await errors('shared/contract/x.ts', "import { Count } from './common.ts';\nexport const a = Count;"), []);
});

test('the collector may not import electron or the shell', async () => {
  assert.match((await errors('electron/collector/x.ts', "import { app } from 'electron';\nexport const a = app;"))[0]!, /never import electron/);
  assert.match((await errors('electron/collector/x.ts', "import { t } from '../main/tray.ts';\nexport const a = t;"))[0]!, /shell or the renderer/);
  assert.deepEqual(await errors('electron/collector/x.ts', "import fs from 'node:fs';\nexport const a = fs;"), []);
});

test('the renderer imports only shared/', async () => {
  assert.match((await errors('renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;"))[0]!, /no Node modules/);
  assert.match((await errors('renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"))[0]!, /preload bridge/);
  assert.match((await errors('renderer/x.ts', "import { Engine } from '../electron/collector/engine/engine.ts';\nexport const a = Engine;"))[0]!, /only shared/);
  assert.deepEqual(await errors('renderer/x.ts', "import { formatRate } from '../shared/index.ts';\nexport const a = formatRate;"), []);
});

test('each platform of the collector stays apart: shared types go to the seam', async () => {
  assert.match((await errors('electron/collector/darwin/x.ts', "import type { Mount } from '../linux/proc-diskstats.ts';\nexport type A = Mount;"))[0]!, /darwin\/ must not import linux\//);
  assert.match((await errors('electron/collector/linux/x.ts', "import { parseDarwinMount } from '../darwin/mount.ts';\nexport const a = parseDarwinMount;"))[0]!, /linux\/ must not import darwin\//);
  assert.deepEqual(await errors('electron/collector/darwin/x.ts', "import type { Mount } from '../sources.ts';\nexport type A = Mount;"), []);
  // The general collector rule still holds inside a platform folder.
  assert.match((await errors('electron/collector/linux/x.ts', "import { app } from 'electron';\nexport const a = app;"))[0]!, /never import electron/);
});

test('main and the preload share only through shared/', async () => {
  assert.match((await errors('electron/preload/x.ts', "import { CH } from '../main/ipc-channels.ts';\nexport const a = CH;"))[0]!, /imports only electron and shared/);
  assert.match((await errors('electron/preload/x.ts', "import fs from 'node:fs';\nexport const a = fs;"))[0]!, /no Node modules/);
  assert.match((await errors('electron/main/x.ts', "import { ENGINE_EXEC_ARGV } from '../collector/runtime.ts';\nexport const a = ENGINE_EXEC_ARGV;"))[0]!, /only through shared/);
  assert.deepEqual(await errors('electron/preload/x.ts', "import { CH } from '../../shared/ipc-channels.ts';\nexport const a = CH;"), []);
  assert.deepEqual(await errors('electron/main/x.ts', "import { utilityExecArgv } from '../../shared/engine-runtime.ts';\nexport const a = utilityExecArgv;"), []);
});

test('paths from import.meta.url go through fileURLToPath (new URL().pathname breaks on spaces)', async () => {
  const [r] = await eslint.lintText("const root = new URL(import.meta.url).pathname;\nexport { root };", { filePath: path.join(ROOT, 'scripts/x.js') });
  assert.match(r!.messages.map((m) => m.message).join('\n'), /fileURLToPath/);
  const [ok] = await eslint.lintText("import { fileURLToPath } from 'node:url';\nexport const root = fileURLToPath(import.meta.url);", { filePath: path.join(ROOT, 'scripts/x.js') });
  assert.deepEqual(ok!.messages, []);
});
