// Application identity (electron/collector/app-identity.ts, linux/desktop-entries.ts, linux/apps.ts):
// pure naming rules, real desktop entries as Debian installs them, and real processes read from /proc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleName, identify, interpreterTarget } from '../../../electron/collector/app-identity.ts';
import { DesktopIndex, applicationDirs, execProgram, parseDesktopEntry } from '../../../electron/collector/linux/desktop-entries.ts';
import { LinuxApps, parseCmdline } from '../../../electron/collector/linux/apps.ts';
import { ProcFdMap } from '../../../electron/collector/linux/proc-fd.ts';
import { nodeOs } from '../../../electron/collector/os.ts';
import { fixture } from '../../helpers.ts';

test('interpreters are named by what they run', () => {
  assert.deepEqual(interpreterTarget('node', ['/srv/api/server.js', '--port', '80']), { label: 'server.js', key: '/srv/api/server.js' });
  assert.deepEqual(interpreterTarget('node', ['--require', 'ts-node/register', '--max-old-space-size=4096', 'app.ts']), { label: 'app.ts', key: 'app.ts' });
  assert.deepEqual(interpreterTarget('python3', ['-u', '-m', 'http.server', '8000']), { label: '-m http.server', key: '-m http.server' });
  assert.deepEqual(interpreterTarget('java', ['-Xmx1g', '-jar', '/opt/kafka/kafka.jar']), { label: '-jar kafka.jar', key: '-jar /opt/kafka/kafka.jar' });
  assert.deepEqual(interpreterTarget('java', ['-cp', '/opt/lib/*', 'org.example.Main']), { label: 'org.example.Main', key: 'org.example.Main' });
  assert.deepEqual(interpreterTarget('bash', ['-e', '/usr/local/bin/backup.sh']), { label: '-e', key: '-e' });
  assert.deepEqual(interpreterTarget('bash', ['/usr/local/bin/backup.sh']), { label: 'backup.sh', key: '/usr/local/bin/backup.sh' });
  assert.equal(interpreterTarget('python3', []), null, 'a REPL');
});

test('identity: stable id from the executable (plus the script), display name, NetWatch marked', () => {
  const a = identify({ exe: '/usr/bin/node', argv: ['node', '/srv/a/server.js'], name: 'node' });
  const b = identify({ exe: '/usr/bin/node', argv: ['node', '/srv/b/server.js'], name: 'node' });
  assert.equal(a.name, 'node server.js');
  assert.notEqual(a.id, b.id, 'two node programs are two apps');
  assert.equal(a.id, '/usr/bin/node /srv/a/server.js');
  const py = identify({ exe: '/usr/bin/python3.11', argv: ['python3', '-m', 'http.server'], name: 'python3' });
  assert.equal(py.name, 'python3.11 -m http.server');
  const ff = identify({ exe: '/usr/lib/firefox/firefox', argv: ['/usr/lib/firefox/firefox'], name: 'firefox', desktop: { name: 'Firefox Web Browser', icon: 'firefox', file: 'x' } });
  assert.deepEqual([ff.name, ff.icon, ff.id], ['Firefox Web Browser', 'firefox', '/usr/lib/firefox/firefox']);
  const me = identify({ exe: '/usr/bin/node', argv: ['node', 'bin/netwatch.js', 'serve'], name: 'node', self: true });
  assert.equal(me.name, 'node netwatch.js', 'named as any program; the flag marks it');
  assert.equal(me.self, true);
  // Another user's process: no exe, only the name.
  assert.deepEqual(identify({ exe: null, argv: [], name: 'sshd' }), { id: 'name:sshd', name: 'sshd', exe: null, icon: null, command: 'sshd', self: false });
  assert.equal(identify({ exe: '/x', argv: ['a'.repeat(1000)], name: 'x' }).command.length, 300);
});

test('macOS: the outermost .app bundle names the app (helpers included)', () => {
  assert.equal(bundleName('/Applications/Google Chrome.app/Contents/Frameworks/Google Chrome Framework.framework/Versions/1/Helpers/Google Chrome Helper (Renderer).app/Contents/MacOS/Google Chrome Helper (Renderer)'), 'Google Chrome');
  assert.equal(bundleName('/System/Applications/Mail.app/Contents/MacOS/Mail'), 'Mail');
  assert.equal(bundleName('/usr/sbin/mDNSResponder'), null);
  assert.equal(identify({ exe: '/Applications/Slack.app/Contents/MacOS/Slack', argv: [], name: 'Slack' }).name, 'Slack');
});

test('desktop entries: Debian\'s real chromium.desktop and an interpreter\'s entry', () => {
  const chromium = parseDesktopEntry(fixture('linux', 'chromium.desktop--debian12-chromium-156.txt'));
  // The [Desktop Entry] group only: the action groups' Exec lines (--incognito …) are not taken.
  assert.deepEqual(chromium && { name: chromium.name, icon: chromium.icon, exec: chromium.exec }, { name: 'Chromium Web Browser', icon: 'chromium', exec: '/usr/bin/chromium %U' });
  assert.equal(execProgram(chromium!.exec), '/usr/bin/chromium');
  const py = parseDesktopEntry(fixture('linux', 'python3.11.desktop--debian12.txt'));
  assert.equal(py?.exec, '/usr/bin/python3.11');
  assert.equal(execProgram('env GDK_BACKEND=x11 "/opt/My App/app" --flag %U'), '/opt/My App/app');
  assert.equal(execProgram('flatpak run org.gimp.GIMP'), null, 'a wrapper is not the process');
  assert.equal(parseDesktopEntry('[Desktop Entry]\nType=Link\nName=x\nExec=y'), null);
  assert.deepEqual(applicationDirs({ XDG_DATA_DIRS: '/a:/b/', XDG_DATA_HOME: 'rel' }, '/home/u'), ['/home/u/.local/share/applications', '/a/applications', '/b/applications']);
});

const readyChild = (cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ChildProcess> => new Promise((resolve, reject) => {
  const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
  c.once('error', reject);
  // Wait until it runs its program (cmdline and exe are the program's, not the shell's).
  setTimeout(() => resolve(c), 400);
});

test('real processes from /proc: a node script, python3 -m http.server, and a program with a desktop entry', async (t) => {
  if (process.platform !== 'linux') return t.skip('reads /proc');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-apps-'));
  const kids: ChildProcess[] = [];
  t.after(() => { for (const k of kids) k.kill(); fs.rmSync(dir, { recursive: true, force: true }); });
  fs.writeFileSync(path.join(dir, 'server.js'), 'setInterval(() => {}, 1000);');
  // A program of our own with a desktop entry in a temporary XDG_DATA_DIRS.
  const prog = path.join(dir, 'nw-demo-app');
  fs.copyFileSync('/bin/sleep', prog);
  fs.chmodSync(prog, 0o755);
  fs.mkdirSync(path.join(dir, 'share', 'applications'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'share', 'applications', 'nw-demo.desktop'), `[Desktop Entry]\nType=Application\nName=NetWatch Demo App\nIcon=nw-demo\nExec=${prog} %U\n`);
  kids.push(await readyChild(process.execPath, [path.join(dir, 'server.js')]));
  let python: ChildProcess | null = null;
  try { python = await readyChild('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1']); kids.push(python); } catch { /* no python3 */ }
  kids.push(await readyChild(prog, ['30']));
  const fd = new ProcFdMap(nodeOs);
  const apps = new LinuxApps(nodeOs, fd, new DesktopIndex(nodeOs, applicationDirs({ XDG_DATA_DIRS: path.join(dir, 'share'), XDG_DATA_HOME: path.join(dir, 'none') }, dir)),
    // This test process plays NetWatch's host (as serve is to the engine): the programs it spawns are
    // not NetWatch; what descends from the engine (its helpers) would be.
    { pid: 0x7ffffff0, ppid: process.pid });
  const node = apps.identity(kids[0]!.pid!)!;
  assert.equal(node.name, 'node server.js');
  assert.equal(node.id, `${fs.realpathSync(process.execPath)} ${path.join(dir, 'server.js')}`);
  assert.equal(node.self, false);
  if (python) assert.match(apps.identity(python.pid!)!.name, /^python3(\.\d+)? -m http\.server$/);
  else t.diagnostic('python3 not installed: that case not checked');
  const demo = apps.identity(kids.at(-1)!.pid!)!;
  assert.deepEqual([demo.name, demo.icon, demo.exe], ['NetWatch Demo App', 'nw-demo', prog]);
  assert.equal(apps.identity(process.pid)!.self, true, 'the host itself is marked');
  assert.match(apps.command(kids[0]!.pid!), /server\.js$/);
  assert.deepEqual(parseCmdline('node\0/srv/server.js\0--port\x008080\0'), ['node', '/srv/server.js', '--port', '8080']);
  // process.title = 'nwtest-server' leaves NULs where the old argv was.
  assert.deepEqual(parseCmdline('nwtest-server\0\0\0\0'), ['nwtest-server']);
  const titled = identify({ exe: '/usr/bin/node', argv: parseCmdline('nwtest-server\0\0\0'), name: 'nwtest-server' });
  const other = identify({ exe: '/usr/bin/node', argv: ['nwtest-client'], name: 'nwtest-client' });
  assert.equal(titled.name, 'nwtest-server');
  assert.notEqual(titled.id, other.id, 'two retitled node programs are two apps');
});
