// Writes to a usage history database as fast as it can, printing the running total after each commit,
// until killed. argv: file [hold] — `hold`: open, print "open", then only keep the lock.
import { HistoryStore } from '../../../electron/collector/history/store.ts';

const [file, mode] = process.argv.slice(2);
const r = HistoryStore.open(file!);
if (!r.ok) { console.log(`refused ${r.reason}`); process.exit(3); }
if (mode === 'hold') { console.log('open'); setInterval(() => {}, 1000); } else {
  let total = 0;
  let ts = Date.UTC(2026, 10, 1);
  for (;;) {
    const rows = Array.from({ length: 200 }, (_, i) => ({ ts, app: `app${i % 50}`, iface: '', host: `10.0.0.${i}`, service: '', rx: 1000, tx: 10 }));
    r.store.write(rows, [{ id: 'app0', name: 'zero', exe: null, icon: null }], ts);
    total += 200 * 1000;
    ts += 300_000;
    process.stdout.write(`committed ${total}\n`);
  }
}
