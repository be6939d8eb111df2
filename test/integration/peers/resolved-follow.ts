// Follows systemd-resolved's monitor with the engine's own client and prints one JSON line per event:
// {status} on every status change, {lookup} per lookup. Run inside resolved's mount namespace.
import { followResolved } from '../../../electron/collector/linux/resolved-monitor.ts';

const f = followResolved((lookup) => console.log(JSON.stringify({ lookup })), (status) => console.log(JSON.stringify({ status })));
process.stdin.on('end', () => { f.stop(); process.exit(0); });
process.stdin.resume();
