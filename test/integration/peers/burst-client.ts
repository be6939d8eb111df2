// Makes N short connections, each sending `size` bytes and closing, as fast as it can (in parallel
// batches), then reports {done, sent, ms}. argv: port count size.
import net from 'node:net';

process.title = 'nwtest-burst';
const [port, count, size] = process.argv.slice(2).map(Number) as [number, number, number];
const one = () => new Promise<void>((resolve, reject) => {
  const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.alloc(size, 121)));
  s.on('data', () => {});
  s.on('close', () => resolve());
  s.on('error', reject);
});
process.once('message', async () => {
  const t0 = performance.now();
  for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, one));
  process.send!({ done: true, sent: count * size, ms: performance.now() - t0 });
});
process.send!({ ready: true });
process.on('disconnect', () => process.exit(0));
