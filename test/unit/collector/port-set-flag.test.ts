// `--port-set NAME=PORT[/PROTO],…`: the sets the engine config takes, and a clear error for each bad form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSets } from '../../../electron/collector/port-set-flag.ts';
import { defaultConfig, mergeConfig } from '../../../shared/index.ts';

test('sets with protocols, both protocols when none is given, duplicates folded; the engine config takes them', () => {
  const r = parsePortSets(['hostd=9981/tcp,9984/udp', 'web = 443, 443/TCP']);
  assert.deepEqual(r, { ok: true, sets: [
    { name: 'hostd', ports: [{ port: 9981, protocol: 'tcp' }, { port: 9984, protocol: 'udp' }] },
    { name: 'web', ports: [{ port: 443, protocol: 'tcp' }, { port: 443, protocol: 'udp' }] },
  ] });
  assert.deepEqual(mergeConfig(defaultConfig(), { portSets: r.ok ? r.sets : [] }).portSets, r.ok ? r.sets : null);
  assert.deepEqual(parsePortSets([]), { ok: true, sets: [] });
});

test('bad forms: a clear error naming the part', () => {
  const err = (f: string[]) => { const r = parsePortSets(f); assert.equal(r.ok, false); return r.ok ? '' : r.error; };
  assert.match(err(['9981/tcp']), /give NAME=PORT/);
  assert.match(err(['=9981']), /give NAME=PORT/);
  assert.match(err(['a=99x']), /'99x' is not PORT/);
  assert.match(err(['a=80/sctp']), /'80\/sctp' is not PORT/);
  assert.match(err(['a=']), /'' is not PORT/);
  assert.match(err(['a=0']), /0 is not a port \(1–65535\)/);
  assert.match(err(['a=65536']), /65536 is not a port/);
  assert.match(err(['a=1', 'a=2']), /a given twice/);
  assert.match(err([`${'n'.repeat(65)}=1`]), /name/);
  assert.match(err(Array.from({ length: 17 }, (_, i) => `s${i}=${i + 1}`)), /at most 16/);
  assert.match(err([`a=${Array.from({ length: 129 }, (_, i) => i + 1).join(',')}`]), /ports/, '258 ports: over the 256 a set holds');
});
