// Which Connections columns a width keeps: by priority, whole columns only, display order preserved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitColumns, gridTemplate } from '../../../renderer/src/lib/columns.ts';

const cols = [
  { key: 'process', priority: 1, minPx: 70, grow: 1 },
  { key: 'pid', priority: 4, minPx: 50, grow: 1 },
  { key: 'remote', priority: 2, minPx: 100, grow: 1 },
  { key: 'local', priority: 5, minPx: 120, grow: 1 },
  { key: 'rate', priority: 3, minPx: 54, grow: 1 },
];
const keys = (w: number) => fitColumns(cols, w).map((c) => c.key);

test('a narrow width keeps the highest priorities, in display order', () => {
  assert.deepEqual(keys(224), ['process', 'remote', 'rate']);
  assert.deepEqual(keys(274), ['process', 'pid', 'remote', 'rate']);
  assert.deepEqual(keys(394), ['process', 'pid', 'remote', 'local', 'rate']);
});

test('a column that does not fit ends the choice: a narrower lower one does not jump the queue', () => {
  const c = [{ key: 'a', priority: 1, minPx: 10, grow: 1 }, { key: 'wide', priority: 2, minPx: 500, grow: 1 }, { key: 'small', priority: 3, minPx: 5, grow: 1 }];
  assert.deepEqual(fitColumns(c, 100).map((x) => x.key), ['a']);
});

test('the first priority shows even when nothing fits; the template gives each its least width', () => {
  assert.deepEqual(keys(10), ['process']);
  assert.equal(gridTemplate(fitColumns(cols, 224)), 'minmax(70px, 1fr) minmax(100px, 1fr) minmax(54px, 1fr)');
});
