import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { cosineLogits, excludedLogit, l2NormalizeRows, maskDiagonal, maskedCrossEntropy } from '../../lib/losses/similarity';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, useCpu } from '../helpers';
import { Matrix, dot, logSumExp, normalizeRows, randomMatrix } from './reference';

const arrayOf = (t: tf.Tensor) => { const a = t.arraySync(); t.dispose(); return a as Matrix; };

const L2NormalizeRows = suite('l2NormalizeRows');
L2NormalizeRows.before(useCpu);

L2NormalizeRows('divides rows by their norm (float64 reference), whatever the norm between 1e-6 and 1e15', () => {
  const rng = new Rng(61);
  const z = randomMatrix(rng, 12, 7).map((row, i) => row.map((v) => Math.fround(v * 10 ** (i * 2 - 6))));
  assertClose(arrayOf(l2NormalizeRows(tf.tensor2d(z))), normalizeRows(z), { rtol: 1e-6, atol: 1e-7 });
});

L2NormalizeRows('a zero row stays zero with a finite gradient (1/eps, as F.normalize); rows under 1e-12 are divided by 1e-12', () => {
  const z = tf.tensor2d([[0, 0, 0], [3, 4, 0], [1e-14, 0, 0]]);
  assertClose(arrayOf(l2NormalizeRows(z)), [[0, 0, 0], [0.6, 0.8, 0], [1e-2, 0, 0]], { rtol: 1e-6, atol: 1e-7 });
  const gradient = arrayOf(tf.grad((x: tf.Tensor) => tf.sum(l2NormalizeRows(x as tf.Tensor2D)))(z));
  assert.ok(gradient.flat().every(Number.isFinite));
  assertClose(gradient[0], [1e12, 1e12, 1e12], { rtol: 1e-6 }); // below the floor the map is x -> x / eps
  // d/dx of sum(x/|x|) at (3,4,0): (1 - x_k * sum(x)/|x|^2)/|x| = (1 - 7x_k/25)/5.
  assertClose(gradient[1], [(1 - 21 / 25) / 5, (1 - 28 / 25) / 5, 1 / 5], { rtol: 1e-5 });
  z.dispose();
});

L2NormalizeRows('leaks no tensors', async () => {
  const z = tf.tensor2d(randomMatrix(new Rng(62), 3, 2));
  await assertNoLeak(() => tf.dispose(l2NormalizeRows(z)));
  await assertNoLeak(() => tf.dispose(tf.grad((x: tf.Tensor) => tf.sum(l2NormalizeRows(x as tf.Tensor2D)))(z)));
  z.dispose();
});

L2NormalizeRows.run();

const CosineLogits = suite('cosineLogits');
CosineLogits.before(useCpu);

CosineLogits('gives cos(a_i, b_j) / tau with shape (N, M) for N != M', () => {
  const rng = new Rng(63);
  const a = randomMatrix(rng, 3, 5);
  const b = randomMatrix(rng, 4, 5, 100);
  const [na, nb] = [normalizeRows(a), normalizeRows(b)];
  const expected = na.map((ai) => nb.map((bj) => dot(ai, bj) / 0.1));
  const actual = arrayOf(cosineLogits(tf.tensor2d(a), tf.tensor2d(b), 0.1));
  assert.is(actual.length, 3);
  assert.is(actual[0].length, 4);
  assertClose(actual, expected, { rtol: 1e-5, atol: 1e-6 });
});

CosineLogits.run();

const MaskDiagonal = suite('maskDiagonal');
MaskDiagonal.before(useCpu);

MaskDiagonal('replaces only the diagonal; the diagonal gets gradient 0, the rest gradient 1', () => {
  const m = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.equal(arrayOf(maskDiagonal(m, -50)), [[-50, 2, 3], [4, -50, 6], [7, 8, -50]]);
  assert.equal(arrayOf(tf.grad((x: tf.Tensor) => tf.sum(maskDiagonal(x as tf.Tensor2D, -50)))(m)), [[0, 1, 1], [1, 0, 1], [1, 1, 0]]);
  m.dispose();
});

MaskDiagonal.run();

const ExcludedLogit = suite('excludedLogit');

ExcludedLogit('lies at least 1/tau + 1000 below the smallest cosine logit -1/tau, so its softmax weight is exactly 0', () => {
  for (const temperature of [1e-4, 0.01, 0.05, 0.5, 2, 1e4]) {
    const fill = excludedLogit(temperature);
    assert.ok(Number.isFinite(fill));
    assert.ok(-1 / temperature - fill >= 1 / temperature + 1000 - 1e-9, `tau=${temperature}`);
    assert.is(Math.fround(Math.exp(Math.fround(fill) - Math.fround(-1 / temperature))), 0, `tau=${temperature}`);
  }
});

ExcludedLogit.run();

const MaskedCrossEntropy = suite('maskedCrossEntropy');
MaskedCrossEntropy.before(useCpu);

MaskedCrossEntropy('equals mean_i (logsumexp(row i) - row_i[target_i]), also for logits near ±1e4', () => {
  const rng = new Rng(64);
  for (const scale of [1, 100, 1e4]) {
    const logits = randomMatrix(rng, 5, 7, scale);
    const targets = [0, 3, 6, 2, 2];
    const mask = targets.map((t) => Array.from({ length: 7 }, (_, k) => (k === t ? 1 : 0)));
    const expected = logits.reduce((s, row, i) => s + logSumExp(row) - row[targets[i]], 0) / 5;
    const actual = tf.tidy(() => maskedCrossEntropy(tf.tensor2d(logits), tf.tensor2d(mask)).arraySync() as number);
    assert.ok(Number.isFinite(actual));
    assertClose(actual, expected, { rtol: 1e-6, atol: 1e-6 * scale }, `scale ${scale}`);
  }
});

MaskedCrossEntropy.run();
