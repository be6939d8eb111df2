// A scripted beacon: connects to HOST PORT every PERIOD_MS ms ± JITTER_PCT % (uniform), skipping beat
// number MISS (0-based; -1 for none), until it has made COUNT attempts; each connection is held 2 s (as
// an HTTP request would be), so the engine's connection poll sees its socket and names the app.
// argv: HOST PORT PERIOD_MS JITTER_PCT MISS COUNT. Messages: {ready}, then {attempt, at} per attempt
// (at: Date.now() when the connect started), {done} after the last.
import net from 'node:net';

const [host, portText, periodText, jitterText, missText, countText] = process.argv.slice(2) as [string, string, string, string, string, string];
const port = Number(portText), period = Number(periodText), jitter = Number(jitterText) / 100, miss = Number(missText), count = Number(countText);
process.on('disconnect', () => process.exit(0));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.send!({ ready: true });
const t0 = Date.now();
let attempts = 0;
for (let beat = 0; attempts < count; beat++) {
  if (beat === miss) continue;
  const due = t0 + beat * period + (beat === 0 ? 0 : (Math.random() * 2 - 1) * jitter * period);
  await sleep(Math.max(0, due - Date.now()));
  const at = Date.now();
  const s = net.connect(port, host, () => setTimeout(() => s.destroy(), 2000));
  s.on('error', () => {});
  attempts++;
  process.send!({ attempt: attempts, at });
}
process.send!({ done: true });
