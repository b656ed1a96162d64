import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { neighborAgreement, retrievalRows } from '../../lib/workbook/retrieval';
import { ImageDataset } from '../../lib/data/dataset';
import { NeighborResult } from '../../lib/probe/knn';

/** n images of 2×2×1 whose pixels all equal the image index, labels given. */
function tiny(labels: number[], name = 'tiny'): ImageDataset {
  const n = labels.length;
  const images = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i, i * 4, (i + 1) * 4);
  return { name, images, shape: [n, 2, 2, 1], labels: Int32Array.from(labels), classNames: ['a', 'b', 'c'] };
}
const result = (indices: number[], k: number): NeighborResult => ({ indices: Int32Array.from(indices), similarities: new Float32Array(indices.length), k });

const Agreement = suite('neighborAgreement');

Agreement('precision@k counts neighbours of the query\'s class, per query and on average', () => {
  const bankLabels = [0, 0, 1, 1, 2];
  const a = neighborAgreement(result([0, 1, 2, /* q1 */ 2, 3, 0, /* q2 */ 4, 0, 1], 3), [0, 1, 1], bankLabels);
  assert.equal(Array.from(a.perQuery), [2 / 3, 2 / 3, 0]);
  assert.ok(Math.abs(a.precision - 4 / 9) < 1e-12);
  assert.is(a.k, 3);
});

Agreement('a bank of one class per query gives 1; a bank without the class gives 0', () => {
  assert.is(neighborAgreement(result([0, 1], 2), [2], [2, 2]).precision, 1);
  assert.is(neighborAgreement(result([0, 1], 2), [1], [2, 2]).precision, 0);
});

Agreement('rejects mismatched sizes and indices outside the bank', () => {
  assert.throws(() => neighborAgreement(result([0, 1, 2], 2), [0, 1], [0, 0, 0]), /2 query labels need 4 neighbour indices \(k = 2\), got 3/);
  assert.throws(() => neighborAgreement(result([0, 7], 2), [0], [0, 0]), /neighbour index 7 of query 0 is outside the bank of 2/);
  assert.throws(() => neighborAgreement({} as NeighborResult, [0], [0]), /nearestNeighbors result/);
});
Agreement.run();

const Rows = suite('retrievalRows');

Rows('each row is the query then its neighbours, with ✓/✗ captions by class', () => {
  const queries = tiny([0, 2], 'queries');
  const bank = tiny([0, 1, 2, 0]);
  const rows = retrievalRows(queries, bank, result([3, 1, /* q1 */ 2, 0], 2), 2);
  assert.equal(rows.shape, [6, 2, 2, 1]);
  assert.is(rows.cols, 3);
  // image values: query 0 (0), bank 3 (3), bank 1 (1), query 1 (1), bank 2 (2), bank 0 (0)
  assert.equal(Array.from({ length: 6 }, (_, i) => rows.images[i * 4]), [0, 3, 1, 1, 2, 0]);
  assert.equal(rows.labels, ['a', '✓ a', '✗ b', 'c', '✓ c', '✗ a']);
});

Rows('shows only the first rows queries; validates sizes and the row count', () => {
  const queries = tiny([0, 1]);
  const bank = tiny([0, 1]);
  assert.equal(retrievalRows(queries, bank, result([0, 1], 1), 1).shape, [2, 2, 2, 1]);
  assert.throws(() => retrievalRows(queries, bank, result([0, 1], 1), 3), /rows must be an integer in \[1, 2\], got 3/);
  const other = { ...bank, images: new Uint8Array(2 * 9), shape: [2, 3, 3, 1] as [number, number, number, number] };
  assert.throws(() => retrievalRows(queries, other, result([0, 1], 1), 1), /queries are 2×2×1 but the bank is 3×3×1/);
});
Rows.run();
