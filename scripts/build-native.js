// Builds the native helpers during `npm install` (Linux: both; macOS: the capture helper). Both are optional:
// - native/nw-sockdiag: without a C compiler the collector uses `ss`, which is ~3x slower at 16k sockets.
// - native/nw-capture (packet capture on libpcap): without libpcap's headers (Debian libpcap-dev) the
//   capture source reports itself unavailable with that reason.
// Each says what is missing instead of failing the install.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not new URL().pathname: the latter keeps %20 for a space (a checkout under "My Projects").
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const native = path.join(root, 'native');
const build = path.join(native, 'build');

/** Compiles with the first compiler that works; returns its name, or null. */
function compile(out, sources, libs) {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, ...sources.map((s) => path.join(native, s)), ...libs], { stdio: 'inherit' });
      console.log(`netwatch: built ${path.relative(root, out)} with ${cc}`);
      return cc;
    } catch {
      /* try the next compiler */
    }
  }
  return null;
}

const capture = ['nw-capture.c', 'nw-capture-parse.c', 'nw-capture-flows.c', 'nw-capture-out.c'];
if (process.platform === 'darwin') {
  // macOS ships libpcap (its headers come with the Xcode command line tools): the capture helper only;
  // sockets come from netstat and lsof there.
  fs.mkdirSync(build, { recursive: true });
  if (!compile(path.join(build, 'nw-capture'), capture, ['-lpcap'])) {
    console.warn('netwatch: native/nw-capture did not build (xcode-select --install gives a compiler); packet capture is unavailable.');
  }
  process.exit(0);
}
if (process.platform !== 'linux') process.exit(0);
fs.mkdirSync(build, { recursive: true });
if (!compile(path.join(build, 'nw-sockdiag'), ['nw-sockdiag.c'], [])) {
  console.warn('netwatch: no C compiler found; sockets will be read with `ss` (slower). Install gcc and run `npm run build:native`.');
  process.exit(0);
}
if (!fs.existsSync('/usr/include/pcap/pcap.h') && !fs.existsSync('/usr/include/pcap.h')) {
  console.warn('netwatch: libpcap headers not found; packet capture is unavailable. Install libpcap-dev and run `npm run build:native`.');
} else if (!compile(path.join(build, 'nw-capture'), capture, ['-lpcap'])) {
  console.warn('netwatch: native/nw-capture did not build; packet capture is unavailable.');
}
