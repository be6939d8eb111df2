// systemd-resolved's monitor messages (a real stream from systemd 252 in a namespace; one message per
// line here, NUL-terminated on the socket): the greeting is no lookup, a success carries its answers, an
// rcode failure its rcode; hostile messages are refused without a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { asMessages, parseMonitorMessage } from '../../../../electron/collector/linux/resolved-monitor.ts';

const lines = fixture('linux', 'varlink-io.systemd.Resolve.Monitor--netns-resolved252.txt').split('\n').filter(Boolean);

test('the greeting, a found name, a missing one', () => {
  assert.deepEqual(lines.map(parseMonitorMessage), [
    null,
    { name: 'a.nw.test', qtype: 1, rcode: 0, answers: ['10.213.95.7'] },
    { name: 'nope.nw.test', qtype: 1, rcode: 3, answers: [] },
  ]);
});

test('as the query and response the capture would report, for the same counters', () => {
  const [q, r] = asMessages(parseMonitorMessage(lines[2]!)!, 1_000_000);
  assert.deepEqual([q.response, q.qname, r.response, r.rcode, r.answerCount], [false, 'nope.nw.test', true, 3, 0]);
});

test('hostile or foreign messages: null, never a throw', () => {
  for (const m of ['', '{', 'null', '[]', '{"parameters":null}', '{"parameters":{"state":1}}',
    '{"parameters":{"state":"success","question":[]}}', '{"parameters":{"state":"success","question":[{"type":"1","name":"x"}]}}',
    `{"parameters":{"state":"success","question":[{"type":1,"name":"${'a'.repeat(2000)}"}]}}`]) {
    assert.equal(parseMonitorMessage(m), null, m.slice(0, 60));
  }
  // Bad answers are skipped, the lookup kept; a failure without an rcode reads as SERVFAIL.
  assert.deepEqual(parseMonitorMessage('{"parameters":{"state":"timeout","question":[{"type":1,"name":"x.test"}],"answer":[{"rr":{"address":[1,2,3,999]}},{"rr":{"address":[10,0,0,1]}}]}}'),
    { name: 'x.test', qtype: 1, rcode: 2, answers: ['10.0.0.1'] });
});
