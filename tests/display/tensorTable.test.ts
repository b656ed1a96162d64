import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { isTableShaped, tensorTableHtml } from '../../lib/display/tensorTable';
import { escapeHtml } from '../../lib/display/internal';
import { assertNoLeak, useCpu } from '../helpers';

/** The text of every <td> (row by row) and of the header cells, read back from the HTML. */
function cellsOf(html: string): { header: string[]; rows: string[][]; rowLabels: string[] } {
  const header = [...html.match(/<thead>(.*)<\/thead>/)![1].matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
  const body = html.match(/<tbody>([\s\S]*)<\/tbody>/)![1];
  const rowHtml = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => m[1]);
  return {
    header,
    rowLabels: rowHtml.map((row) => row.match(/<th[^>]*>(.*?)<\/th>/)![1]),
    rows: rowHtml.map((row) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])),
  };
}

const Escape = suite('escapeHtml');

Escape('escapes the five special characters and nothing else', () => {
  assert.is(escapeHtml(`<a href="x">Tom & 'Jerry'</a> ok`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; ok');
});

Escape.run();

const IsTableShaped = suite('isTableShaped');
IsTableShaped.before(useCpu);

IsTableShaped('rank 2 within the row and column limits only', () => {
  const cases: [number[], boolean][] = [[[3, 4], true], [[20, 20], true], [[21, 2], false], [[2, 21], false], [[4], false], [[2, 2, 2], false]];
  for (const [shape, expected] of cases) {
    const t = tf.zeros(shape);
    assert.is(isTableShaped(t), expected, `[${shape}]`);
    t.dispose();
  }
  const wide = tf.zeros([2, 30]);
  assert.ok(isTableShaped(wide, { maxTableColumns: 30 }));
  wide.dispose();
  assert.not.ok(isTableShaped(wide), 'disposed');
});

IsTableShaped.run();

const TableHtml = suite('tensorTableHtml');
TableHtml.before(useCpu);

TableHtml('one <td> per element in row-major order, with row and column indices and a dtype/shape caption', () => {
  const t = tf.tensor2d([[1, 2.5, -3], [0.123456, 1e6, 7]]);
  const html = tensorTableHtml(t);
  const { header, rows, rowLabels } = cellsOf(html);
  assert.equal(header, ['', '0', '1', '2']);
  assert.equal(rowLabels, ['0', '1']);
  assert.equal(rows, [['1', '2.5', '-3'], ['0.1235', '1000000', '7']]);
  assert.match(html, /<caption[^>]*>Tensor float32 \[2, 3\]<\/caption>/);
  assert.ok(html.startsWith('<table') && html.endsWith('</table>'));
  t.dispose();
});

TableHtml('int32, bool and (escaped) string tensors; significantDigits applies to floats', () => {
  const ints = tf.tensor2d([[1, 2]], [1, 2], 'int32');
  assert.equal(cellsOf(tensorTableHtml(ints)).rows, [['1', '2']]);
  const flags = tf.tensor2d([[1, 0]], [1, 2], 'bool');
  assert.equal(cellsOf(tensorTableHtml(flags)).rows, [['true', 'false']]);
  const words = tf.tensor2d([['<b>', 'a&b']], [1, 2], 'string');
  assert.equal(cellsOf(tensorTableHtml(words)).rows, [['&lt;b&gt;', 'a&amp;b']]);
  const floats = tf.tensor2d([[Math.PI]]);
  assert.equal(cellsOf(tensorTableHtml(floats, { significantDigits: 2 })).rows, [['3.1']]);
  tf.dispose([ints, flags, words, floats]);
});

TableHtml('refuses tensors that are not table-shaped, saying what it got', () => {
  const t = tf.zeros([30, 2]);
  assert.throws(() => tensorTableHtml(t), /expected a live rank-2 tensor of at most 20×20, got float32 \[30, 2\]/);
  t.dispose();
});

TableHtml('leaks no tensors', async () => {
  const t = tf.randomNormal([5, 5]);
  await assertNoLeak(() => tensorTableHtml(t));
  t.dispose();
});

TableHtml.run();
