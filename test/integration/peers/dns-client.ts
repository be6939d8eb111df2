// A resolver with one long-lived UDP socket (as systemd-resolved or a browser keeps one): sends `count`
// A queries for `name-<i>.<suffix>` to server:53, one every `everyMs`, and reports {sent, answered}.
// argv: server suffix count everyMs. Messages: {ready} once bound; starts on {go}.
import dgram from 'node:dgram';

const [server, suffix, countText, everyText] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText), every = Number(everyText);
const sock = dgram.createSocket('udp4');
let answered = 0;
sock.on('message', () => { answered++; });
process.on('disconnect', () => process.exit(0));

/** A standard query (RD set) for `name`, type A, class IN. */
function query(id: number, name: string): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0); header.writeUInt16BE(0x0100, 2); header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

sock.bind(0, () => {
  process.send!({ ready: true, port: sock.address().port });
  process.once('message', () => {
    let i = 0;
    const t = setInterval(() => {
      sock.send(query(0x1000 + i, `name-${i}.${suffix}`), 53, server);
      if (++i >= count) { clearInterval(t); setTimeout(() => process.send!({ sent: count, answered }), 500); }
    }, every);
  });
});
