import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { formatNumber, isTensor, tensorSummaryText } from '../../lib/display/tensorText';
import { assertNoLeak, useCpu } from '../helpers';

const IsTensor = suite('isTensor');
IsTensor.before(useCpu);

IsTensor('tensors of any rank and dtype yes; tensor-looking plain objects without methods, arrays and null no', () => {
  const tensors = [tf.scalar(1), tf.tensor1d([1, 2], 'int32'), tf.tensor2d([[true]], [1, 1], 'bool'), tf.tensor(['a'])];
  for (const t of tensors) assert.ok(isTensor(t), t.dtype);
  for (const value of [null, undefined, 3, 'x', [1, 2], { shape: [2], dtype: 'float32' }]) assert.not.ok(isTensor(value));
  // a tensor from another copy of tfjs: same members, different class
  const foreign = { shape: [2], dtype: 'float32', dataSync: () => new Float32Array(2), dispose: () => {} };
  assert.ok(isTensor(foreign));
  tf.dispose(tensors);
});

IsTensor.run();

const FormatNumber = suite('formatNumber');

FormatNumber('significant digits with trailing zeros dropped; integers exact; special values spelled', () => {
  const cases: [number, number, string][] = [
    [0.123456, 4, '0.1235'],
    [2.5, 4, '2.5'],
    [123456, 4, '123456'],
    [1234.56, 4, '1235'],
    [6.606123e-6, 4, '0.000006606'],
    [1.5e-12, 3, '1.5e-12'],
    [-0.333333, 2, '-0.33'],
    [Number.NaN, 4, 'NaN'],
    [-Infinity, 4, '-Infinity'],
  ];
  for (const [value, digits, expected] of cases) assert.is(formatNumber(value, digits), expected, String(value));
});

FormatNumber.run();

const Summary = suite('tensorSummaryText');
Summary.before(useCpu);

Summary('small 2-D: header with dtype, shape, count and min/mean/max, then every value', () => {
  const t = tf.tensor2d([[1, 2, 3], [4, 5, 7]]);
  const text = tensorSummaryText(t);
  const [header, ...rows] = text.split('\n');
  assert.is(header, 'Tensor float32 [2, 3] (6 values) min 1 · mean 3.667 · max 7');
  assert.equal(rows, ['[[1, 2, 3],', ' [4, 5, 7]]']);
  t.dispose();
});

Summary('big tensors stay short: rank 2 summarised to first/last rows, rank > 2 to the first values', () => {
  const matrix = tf.range(0, 1000 * 300).reshape([1000, 300]);
  const lines = tensorSummaryText(matrix).split('\n');
  assert.is(lines[0], 'Tensor float32 [1000, 300] (300,000 values) min 0 · mean 150000 · max 299999');
  assert.ok(lines.length <= 8, `${lines.length} lines`);
  assert.match(lines[1], /^\[\[0 *, 1 *, 2 *, \.\.\., 297 *, 298 *, 299 *\],$/);
  assert.ok(lines.some((line) => line.trim() === '...,'), 'rows elided');
  const images = tf.range(0, 2 * 32 * 32 * 3, 1, 'int32').reshape([2, 32, 32, 3]);
  const text = tensorSummaryText(images, { previewValues: 5 });
  assert.is(text, 'Tensor int32 [2, 32, 32, 3] (6,144 values) min 0 · mean 3072 · max 6143\nfirst 5 of 6,144 values: [0, 1, 2, 3, 4, …]');
  tf.dispose([matrix, images]);
});

Summary('scalars, empty, string, bool and disposed tensors', () => {
  const scalar = tf.scalar(0.5);
  assert.is(tensorSummaryText(scalar), 'Tensor float32 [] (1 value)\n0.5');
  const empty = tf.zeros([0, 3]);
  assert.is(tensorSummaryText(empty), 'Tensor float32 [0, 3] (0 values)');
  const strings = tf.tensor1d(['a', 'b'], 'string');
  assert.is(tensorSummaryText(strings).split('\n')[0], 'Tensor string [2] (2 values)');
  const flags = tf.tensor1d([1, 0, 1, 1], 'bool');
  assert.ok(tensorSummaryText(flags).startsWith('Tensor bool [4] (4 values) min 0 · mean 0.75 · max 1'));
  const gone = tf.ones([2, 2]);
  gone.dispose();
  assert.is(tensorSummaryText(gone), 'Tensor float32 [2, 2] (disposed)');
  tf.dispose([scalar, empty, strings, flags]);
});

Summary('leaks no tensors', async () => {
  const t = tf.randomUniform([4, 5, 6]);
  await assertNoLeak(() => tensorSummaryText(t));
  t.dispose();
});

Summary.run();
