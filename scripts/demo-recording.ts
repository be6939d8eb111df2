// Records a demo for the replay e2e test, `npm run screenshots` and the renderer bench: the real engine
// (`netwatch record`) in a lab namespace where it sees 10,000 sockets held by bench/socket-holder.ts,
// 6 MB/s crossing a veth (a bandwidth alert, threshold 2 MB/s), and a gateway and DNS server answered by
// the peer namespace. Five interfaces, as a laptop with a VPN and a container runtime has: lo, the veth,
// a second veth to the peer namespace carrying a 50 kB/s UDP trickle, a bridge with no ports and a tun
// device (both down). Needs root (network namespaces).
//
// This VM has no Wi-Fi, so the Wi-Fi card's data is the one part not measured here: a real `iw dev
// wlp1s0 link` capture (test/fixtures/linux/iw-dev-link--wifi-heatmapper.txt, see its README) parsed by
// our own parser and added to every recorded snapshot.
//
// usage: node scripts/demo-recording.ts OUT.jsonl [seconds=20]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { holder, makeNetns, spawnReady, LAB_GATEWAY, ROOT } from '../bench/lab.ts';
import { parseIwLink } from '../electron/collector/linux/iw.ts';
import type { Snapshot } from '../shared/index.ts';

/**
 * In the lab's namespace (`ns`, peer `peer`): nwbc, a veth to the peer (10.213.10.1/24 ↔ .2), up;
 * nwbr0, a bridge, and nwtun0, a tun device, both down. (No dummy: this kernel has no dummy module.)
 */
function extraLinks(ns: string, peer: string): () => void {
  const ip = (n: string, ...a: string[]) => execFileSync('ip', ['-n', n, ...a], { stdio: 'ignore' });
  ip(ns, 'link', 'add', 'nwbc', 'type', 'veth', 'peer', 'name', 'nwbd', 'netns', peer);
  ip(ns, 'addr', 'add', '10.213.10.1/24', 'dev', 'nwbc'); ip(ns, 'link', 'set', 'nwbc', 'up');
  ip(peer, 'addr', 'add', '10.213.10.2/24', 'dev', 'nwbd'); ip(peer, 'link', 'set', 'nwbd', 'up');
  ip(ns, 'link', 'add', 'nwbr0', 'type', 'bridge');
  ip(ns, 'tuntap', 'add', 'dev', 'nwtun0', 'mode', 'tun');
  return () => { for (const l of ['nwtun0', 'nwbr0', 'nwbc']) { try { ip(ns, 'link', 'del', l); } catch { /* gone with the namespace */ } } };
}

/** 1,000-byte UDP datagrams every 20 ms to the peer over nwbc (50 kB/s each way counting the replies). */
const TRICKLE = `const s=require('node:dgram').createSocket('udp4');const b=Buffer.alloc(1000);`
  + `setInterval(()=>s.send(b,9,'10.213.10.2'),20);console.log('ready');`;

export async function demoRecording(file: string, secs: number): Promise<void> {
  const lab = makeNetns();
  if (!lab) throw new Error('the demo recording needs network namespaces (run as root)');
  const kids: ChildProcess[] = [];
  let dropLinks = () => {};
  try {
    dropLinks = extraLinks(lab.prefix.at(-1)!, lab.peerPrefix.at(-1)!);
    kids.push(await spawnReady([...lab.prefix, process.execPath, '-e', TRICKLE]));
    kids.push(await holder(5000, lab.prefix));
    const traffic = path.join(ROOT, 'bench', 'veth-traffic.ts');
    kids.push(await spawnReady([...lab.peerPrefix, process.execPath, traffic, 'server', LAB_GATEWAY, '9000']));
    kids.push(await spawnReady([...lab.prefix, process.execPath, traffic, 'client', LAB_GATEWAY, '9000', '6000000']));
    const raw = `${file}.raw`;
    const rec = spawn(lab.prefix[0]!, [...lab.prefix.slice(1), process.execPath, path.join(ROOT, 'bin', 'netwatch.js'), 'record', raw,
      '--duration', String(secs), '--bandwidth-threshold', '2000000'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise((r) => rec.once('exit', r));
    if (code !== 0) throw new Error(`netwatch record exited ${code}`);
    const wifi = parseIwLink('wlp1s0', fs.readFileSync(path.join(ROOT, 'test/fixtures/linux/iw-dev-link--wifi-heatmapper.txt'), 'utf8'));
    const frames = fs.readFileSync(raw, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Snapshot);
    // Start where the engine is warm (first probe answered, an alert raised), so a looping replay
    // never shows start-up frames; the recording keeps at least half of its frames.
    const warm = frames.findIndex((s) => s.health.gatewayProbe?.rttMs != null && s.alerts.active.length > 0 && !s.connectionsOmitted);
    const from = warm >= 0 && warm <= frames.length / 2 ? warm : 0;
    const lines = frames.slice(from).map((s) => JSON.stringify({ ...s, wifi: [wifi], sources: { ...s.sources, wifi: { state: 'ok' } } }));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    fs.rmSync(raw);
  } finally {
    for (const k of kids) k.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    dropLinks();
    lab.cleanup();
  }
}

if (import.meta.filename === path.resolve(process.argv[1]!)) {
  const [out, seconds] = process.argv.slice(2);
  if (!out) { console.error('usage: node scripts/demo-recording.ts OUT.jsonl [seconds=20]'); process.exit(2); }
  await demoRecording(out, Number(seconds ?? 20));
  console.log(`wrote ${out}`);
}
