// Sends exactly the bytes it is told to over one connection kept open. argv: port [title].
// Messages in: {send: N}; out: {connected}, then {sent: N} once the kernel took all N bytes.
import net from 'node:net';

process.title = process.argv[3] ?? 'nwtest-sized';
const sock = net.connect(Number(process.argv[2]), '127.0.0.1', () => process.send!({ connected: true }));
process.on('message', (m: { send: number }) => { sock.write(Buffer.alloc(m.send, 122), () => process.send!({ sent: m.send })); });
sock.on('error', (e) => { console.error(e); process.exit(1); });
process.on('disconnect', () => process.exit(0));
