import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastKernels, restoreStockKernels } from '../../lib/kernels';
import { assertClose, assertNoLeak } from '../helpers';
import { caseData, ConvCase, CONV_CASES, convGradients, describeCase, maxAbs, onBackend, readAndDispose, seededValues } from './cases';

async function useFastWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  // The wasm-only kernels (no oneDNN addon): tests/kernels/native.test.ts covers the native ones.
  registerFastKernels('wasm', { native: false });
}

const gradients = suite('wasm conv gradients (Conv2DBackpropFilter, Conv2DBackpropInput)');
gradients.before(useFastWasm);
gradients.after(() => {
  restoreStockKernels('wasm');
});
gradients('tf.grads of Σ conv2d(x, w) ⊙ r on fast wasm equal the cpu backend (whole case table)', async () => {
  for (const [k, c] of CONV_CASES.entries()) {
    const d = caseData(c, 300 + k);
    const expected = await onBackend('cpu', () => convGradients(c, d));
    const actual = await convGradients(c, d);
    assertClose(actual.dw, expected.dw, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dw) }, `dw ${describeCase(c)}`);
    assertClose(actual.dx, expected.dx, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dx) }, `dx ${describeCase(c)}`);
  }
});
gradients('large batches, where the filter gradient is split into batch chunks (zero-copy views), equal the cpu backend', async () => {
  const chunked: ConvCase[] = [
    { x: [12, 40, 40, 2], filter: [3, 3, 2, 3], stride: 1, pad: 'valid' }, // 1444 positions per image: 2 chunks of 6
    { x: [8, 96, 96, 1], filter: [3, 3, 1, 2], stride: 2, pad: 'same' }, // 2304 per image: 2 chunks of 4
  ];
  for (const [k, c] of chunked.entries()) {
    const d = caseData(c, 350 + k);
    const expected = await onBackend('cpu', () => convGradients(c, d));
    const actual = await convGradients(c, d);
    assertClose(actual.dw, expected.dw, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dw) }, `dw ${describeCase(c)}`);
  }
});
gradients('a fused conv layer (bias + ReLU, the path tf.layers takes) has the cpu gradients for x, w and bias', async () => {
  const x = seededValues([3, 9, 9, 4], 11);
  const w = seededValues([3, 3, 4, 6], 12);
  const b = seededValues([6], 13);
  const r = seededValues([3, 5, 5, 6], 14);
  const layerGrads = () =>
    Promise.all(tf.tidy(() => tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, bias: bi, activation: 'relu', strides: 2, pad: 'same' }), tf.tensor(r, [3, 5, 5, 6]))),
      )([tf.tensor(x, [3, 9, 9, 4]), tf.tensor(w, [3, 3, 4, 6]), tf.tensor(b, [6])])).map(readAndDispose));
  const expected = await onBackend('cpu', layerGrads);
  const actual = await layerGrads();
  ['x', 'w', 'bias'].forEach((name, i) => assertClose(actual[i], expected[i], { rtol: 1e-4, atol: 1e-5 * maxAbs(expected[i]) }, name));
});
gradients('no tensor or wasm buffer is leaked by a gradient step', async () => {
  const c = CONV_CASES[7];
  const d = caseData(c, 21);
  const before = tf.backend().numDataIds();
  await assertNoLeak(() => convGradients(c, d), 2, 'conv gradients');
  assert.is(tf.backend().numDataIds(), before, 'wasm buffers');
});
gradients('NCHW is refused with a clear message (wasm has no stock filter gradient to fall back to)', () => {
  const x = tf.ones([1, 2, 5, 5]);
  const dy = tf.ones([1, 3, 3, 3]);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] } as unknown as tf.NamedAttrMap),
    /only NHWC float32 is supported, got dataFormat NCHW/,
  );
  tf.dispose([x, dy]);
});
gradients.run();

const movement = suite('wasm Tile and Slice');
movement.before(useFastWasm);
movement.after(() => {
  restoreStockKernels('wasm');
});
movement('tf.tile and tf.slice through the registered kernels equal the cpu backend', async () => {
  const values = Array.from(seededValues([2, 5, 5, 3], 31));
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor(values, [2, 5, 5, 3]);
      return [
        Array.from(tf.tile(tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, 1, 1, 3]), [1, 1, 1, 3]), [2, 4, 4, 1]).dataSync()),
        Array.from(tf.slice(x, [0, 1, 1, 0], [2, 3, 3, 3]).dataSync()),
      ];
    });
  const expected = await onBackend('cpu', run);
  assert.equal(run(), expected);
});
movement('string tensors still go to the stock Slice (which handles them in JS)', () => {
  const s = tf.tensor(['a', 'b', 'c', 'd']);
  assert.equal(tf.slice(s, [1], [2]).arraySync(), ['b', 'c']);
  s.dispose();
});
movement.run();

const batchNorm = suite('wasm FusedBatchNorm (1×1 depthwise conv with bias)');
batchNorm.before(useFastWasm);
batchNorm.after(() => {
  restoreStockKernels('wasm');
});
batchNorm('tf.batchNorm equals the cpu backend, with and without scale/offset, ranks 2-4', async () => {
  const cases: Array<[number[], boolean, boolean]> = [
    [[4, 5, 5, 6], true, true],
    [[3, 7], true, true],
    [[2, 3, 4, 5], false, true],
    [[2, 3, 4, 5], true, false],
    [[2, 6, 3], false, false],
  ];
  for (const [shape, withScale, withOffset] of cases) {
    const c = shape[shape.length - 1];
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(seededValues(shape, 61), shape);
        const mean = tf.tensor(seededValues([c], 62));
        const variance = tf.abs(tf.tensor(seededValues([c], 63))).add(0.05);
        const offset = withOffset ? tf.tensor(seededValues([c], 64)) : undefined;
        const scale = withScale ? tf.tensor(seededValues([c], 65)) : undefined;
        return Array.from(tf.batchNorm(x, mean, variance, offset, scale, 1e-3).dataSync());
      });
    const expected = await onBackend('cpu', run);
    assertClose(run(), expected, { rtol: 1e-5, atol: 1e-5 }, `[${shape}] scale ${withScale} offset ${withOffset}`);
  }
});
batchNorm('parameters shaped like x (not per-channel vectors) go to the stock kernel and still agree', async () => {
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor(seededValues([2, 3, 3, 4], 71), [2, 3, 3, 4]);
      const p = (seed: number) => tf.tensor(seededValues([1, 1, 1, 4], seed), [1, 1, 1, 4]);
      return Array.from(tf.batchNorm(x, p(72), tf.abs(p(73)).add(0.1), p(74), p(75), 1e-3).dataSync());
    });
  assertClose(run(), await onBackend('cpu', run), { rtol: 1e-5, atol: 1e-5 });
});
batchNorm.run();

const reductions = suite('wasm Sum and Mean (average pooling over leading axes)');
reductions.before(useFastWasm);
reductions.after(() => {
  restoreStockKernels('wasm');
});
reductions('tf.sum and tf.mean equal the cpu backend: leading axes, keepDims, other axes, int32, all axes', async () => {
  const shape = [6, 5, 4, 3];
  const cases: Array<[number | number[] | null, boolean]> = [
    [[0, 1, 2], false], // batch-norm statistics: the fast path
    [[0, 1, 2], true],
    [0, false],
    [[1, 0], true],
    [null, false], // all axes: fast path with one output
    [[1, 2], false], // not leading: stock
    [-1, true],
  ];
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor(seededValues(shape, 81), shape);
      const xi = tf.tensor(Array.from(seededValues(shape, 82), (v) => Math.round(4 * v)), shape, 'int32');
      const out: number[][] = [];
      for (const [axis, keepDims] of cases) {
        const a = axis ?? undefined;
        out.push(Array.from(tf.sum(x, a, keepDims).dataSync()), Array.from(tf.mean(x, a, keepDims).dataSync()), [...tf.sum(x, a, keepDims).shape]);
        out.push(Array.from(tf.sum(xi, a, keepDims).dataSync()));
      }
      return out;
    });
  const expected = await onBackend('cpu', run);
  const actual = run();
  expected.forEach((want, i) => assertClose(actual[i], want, { rtol: 1e-5, atol: 1e-5 * (maxAbs(want) + 1) }, `output ${i}`));
});
reductions.run();

const maxPool = suite('wasm MaxPoolGrad');
maxPool.before(useFastWasm);
maxPool.after(() => {
  restoreStockKernels('wasm');
});
maxPool('the max-pool gradient equals the cpu backend: 2×2/2, 3×3/2 same (overlapping), ties after ReLU', async () => {
  const cases: Array<[number[], number, number, 'valid' | 'same']> = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 7, 9, 4], 3, 2, 'same'],
    [[1, 6, 6, 2], 3, 1, 'same'],
  ];
  for (const [shape, size, stride, pad] of cases) {
    const run = () =>
      tf.tidy(() => {
        const x = tf.relu(tf.tensor(seededValues(shape, 91), shape)); // zeros: tied windows
        const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), tf.tensor(seededValues(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape, 92), tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape)));
        return Array.from(tf.grad(f)(x).dataSync());
      });
    const expected = await onBackend('cpu', run);
    assertClose(run(), expected, { rtol: 1e-6, atol: 1e-6 }, `[${shape}] ${size}x${size}/${stride} ${pad}`);
  }
});
maxPool.run();
