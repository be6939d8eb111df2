// Runs dist/electron/main/index.js against the stand-in electron (register.ts) and drives it as a
// person and the OS would; prints what the shell did as one JSON line. electron-main.test.ts asserts.
//   node --import ./register.ts ./scenario.ts first-run|second-instance|wayland
import path from 'node:path';
import { fake, ipcMain, type BrowserWindow } from './electron.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const which = process.argv[2];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => T | undefined | null | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}
const posted = (type: string) => fake.log.filter((e) => e['kind'] === 'collector.post' && (e['m'] as { type?: string }).type === type).map((e) => e['m']);
const sentOn = (w: BrowserWindow, channel: string) => w.webContents.sent.filter((s) => s.channel === channel).map((s) => s.data);
const fromPage = { senderFrame: { url: 'app://netwatch/index.html#/popover' } };
const out: Record<string, unknown> = {};

if (which === 'second-instance') fake.lock = false;
if (which !== 'second-instance') process.argv.push('--open=popover');
await import(process.env['FAKE_MAIN'] ?? path.join(ROOT, 'dist', 'electron', 'main', 'index.js'));

if (which === 'second-instance') {
  await wait(300);
  out['trays'] = fake.trays.length;
  out['forks'] = fake.children.length;
  out['windows'] = fake.windows.length;
  out['log'] = fake.log.map((e) => e['kind']);
} else {
  const tray = await until('a tray', () => fake.trays[0]);
  const popover = await until('the popover', () => fake.windows[0]);
  await until('a snapshot in the tray', () => tray.tooltip.startsWith('NetWatch\nDownload'));
  out['trayImage'] = path.basename(tray.image.path);
  out['appMenu'] = fake.log.find((e) => e['kind'] === 'Menu.setApplicationMenu')?.['menu'];
  out['execArgv'] = fake.log.find((e) => e['kind'] === 'utilityProcess.fork')?.['execArgv'];
  out['popoverOpts'] = { frame: popover.opts['frame'], alwaysOnTop: popover.opts['alwaysOnTop'] };
  out['popoverPlaced'] = popover.position !== null;
  out['contextMenuSet'] = fake.log.some((e) => e['kind'] === 'tray.setContextMenu');
  await until('link up on the popover', () => sentOn(popover, 'nw:link').some((l) => (l as { state: string }).state === 'up'));
  out['popoverLinks'] = sentOn(popover, 'nw:link');
  out['visibilityAfterShow'] = posted('set-visibility');

  if (which === 'wayland') {
    popover.blur();
    out['popoverVisibleAfterBlur'] = popover.isVisible();
    process.stdout.write(JSON.stringify(out) + '\n');
    fake.app.quit();
    process.exit(0);
  }

  // A page that loads after the engine is up is told so at load.
  ipcMain.handlers.get('on:nw:open')!(fromPage, 'connections', null);
  const conn = await until('the connections window', () => fake.windows[1]);
  await until('connections loaded', () => sentOn(conn, 'nw:link').length > 0);
  out['lateLinks'] = sentOn(conn, 'nw:link');
  out['latePorts'] = sentOn(conn, 'nw:port').length;
  out['lateSettings'] = sentOn(conn, 'nw:settings').length;

  // Reload: a new port and the link again.
  const before = popover.webContents.sent.length;
  popover.reload();
  await until('reloaded', () => popover.webContents.sent.length > before + 1);
  out['afterReload'] = popover.webContents.sent.slice(before).map((s) => s.channel);

  // Visibility follows shown windows: close the drill-down, blur the popover → tray-only.
  const visBefore = posted('set-visibility').length;
  conn.close();
  popover.blur();
  await wait(50);
  out['visibilityAfterHide'] = posted('set-visibility').slice(visBefore);
  out['popoverVisibleAfterBlur'] = popover.isVisible();

  // The click that caused the blur does not reopen it; the next click does.
  tray.emit('click');
  out['afterGuardedClick'] = popover.isVisible();
  tray.emit('click');
  out['afterSecondClick'] = popover.isVisible();

  // Ctrl+W on the popover hides it; a plain second launch shows it again.
  popover.close();
  out['afterClose'] = { destroyed: popover.isDestroyed(), visible: popover.isVisible() };
  fake.app.emit('second-instance', {}, ['/usr/bin/netwatch']);
  out['afterSecondLaunch'] = popover.isVisible();
  out['windowsAfterSecondLaunch'] = fake.windows.length;

  // Pause from the tray menu: the tray says so instead of frozen speeds.
  const items = () => (tray.menu!.template as Array<{ label?: string; click?: () => void }>);
  items().find((i) => i.label === 'Pause Monitoring')!.click!();
  out['pausedTooltip'] = tray.tooltip;
  out['pausedMenuHead'] = items()[0]!.label;
  await wait(1500);
  out['stillPaused'] = tray.tooltip;
  items().find((i) => i.label === 'Resume Monitoring')!.click!();

  // A notification stays referenced; clicking it opens the Alerts window.
  const hooks = (globalThis as unknown as { __netwatchTest: { notify(a: unknown[]): void } }).__netwatchTest;
  hooks.notify([{ id: 'a1', key: 'bandwidth:eth0:rx', category: 'bandwidth', severity: 'warning', title: 'High download on eth0', detail: 'd', firstTs: Date.now(), lastTs: Date.now(), active: true, value: 6e7, threshold: 5e7 }]);
  const note = await until('a notification', () => fake.notifications.at(-1));
  note.emit('click');
  await until('the alerts window', () => fake.windows.find((w) => String(w.url).includes('#/alerts/a1')));
  out['alertsWindow'] = true;

  // Settings from a page: saved, pushed to every page, launch at login on Linux as an autostart entry.
  const settings = await ipcMain.handlers.get('nw:get-settings')!(fromPage) as Record<string, unknown>;
  const saved = await ipcMain.handlers.get('nw:set-settings')!(fromPage, { ...settings, launchAtLogin: true, units: 'bits' }) as { ok: boolean };
  out['saved'] = saved.ok;
  out['settingsPushed'] = (sentOn(popover, 'nw:settings').at(-1) as { units: string }).units;
  out['configPosted'] = posted('set-config').length;

  // Quit: the popover closes for real, the collector is stopped.
  fake.app.quit();
  popover.close();
  out['afterQuitClose'] = popover.isDestroyed();
  await until('the collector exits', () => fake.children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null), 5000);
  out['collectorExited'] = true;
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
