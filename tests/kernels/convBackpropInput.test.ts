import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropInputByConv, conv2dBackpropInputByPhases, conv2dBackpropInputPointwise, convGeometry, KernelComposer } from '../../lib/kernels';
import type { ConvGeometry } from '../../lib/kernels';
import { assertClose, useCpu } from '../helpers';
import { buffersLeftBy, caseData, ConvCase, CONV_CASES, describeCase, maxAbs } from './cases';

const byConv = suite('conv2dBackpropInputByConv');
byConv.before(useCpu);
byConv('matches the stock cpu Conv2DBackpropInput (strides 1-2, same/valid/explicit, 1×1 and 3×3)', () => {
  CONV_CASES.forEach((c, k) => {
    const d = caseData(c, 200 + k);
    const filter = tf.tensor4d(d.filter, c.filter);
    const dy = tf.tensor(d.dy, d.dyShape);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x };
    const expected = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const composer = new KernelComposer(tf.backend(), 'cpu');
    const info = composer.finish(conv2dBackpropInputByConv(composer, dy, filter, convGeometry(c.x, c.filter, c.stride, c.pad)));
    const actual = tf.engine().makeTensorFromTensorInfo(info);
    assert.equal(actual.shape, c.x, describeCase(c));
    const want = expected.dataSync();
    assertClose(actual.dataSync(), want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) }, describeCase(c));
    tf.dispose([filter, dy, expected, actual]);
  });
});
byConv('handles padding larger than the kernel reach (negative transposed padding becomes a crop)', () => {
  // pad 3 with a 3×3 kernel: the transposed conv would need padding K − 1 − 3 = −1.
  const c = { x: [1, 6, 6, 2] as [number, number, number, number], filter: [3, 3, 2, 3] as [number, number, number, number], stride: 1, pad: 3 };
  const d = caseData(c, 9);
  const filter = tf.tensor4d(d.filter, c.filter);
  const dy = tf.tensor(d.dy, d.dyShape);
  const expected = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 1, pad: 3, dataFormat: 'NHWC', inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const actual = tf.engine().makeTensorFromTensorInfo(composer.finish(conv2dBackpropInputByConv(composer, dy, filter, convGeometry(c.x, c.filter, 1, 3))));
  const want = expected.dataSync();
  assertClose(actual.dataSync(), want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) });
  tf.dispose([filter, dy, expected, actual]);
});
byConv('frees all its intermediates (stride 2: dilation and crop temporaries too)', () => {
  assert.is(buffersLeftBy(conv2dBackpropInputByConv, CONV_CASES[2], 5, 'dy,filter'), 0);
});
byConv.run();

type Algorithm = (c: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry) => tf.TensorInfo;

/** Compare an algorithm with the stock cpu kernel on `cases`. */
function checkAgainstStock(algorithm: Algorithm, cases: ConvCase[], seed: number): void {
  cases.forEach((c, k) => {
    const d = caseData(c, seed + k);
    const filter = tf.tensor4d(d.filter, c.filter);
    const dy = tf.tensor(d.dy, d.dyShape);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x };
    const expected = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const composer = new KernelComposer(tf.backend(), 'cpu');
    const actual = tf.engine().makeTensorFromTensorInfo(composer.finish(algorithm(composer, dy, filter, convGeometry(c.x, c.filter, c.stride, c.pad))));
    assert.equal(actual.shape, c.x, describeCase(c));
    const want = expected.dataSync();
    assertClose(actual.dataSync(), want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) }, describeCase(c));
    tf.dispose([filter, dy, expected, actual]);
  });
}

/** Strided cases where phases differ in their taps and lengths: odd sizes, kernels smaller than the stride, stride 3. */
const PHASE_CASES: ConvCase[] = [
  { x: [2, 9, 10, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [1, 11, 11, 2], filter: [1, 1, 2, 3], stride: 3, pad: 'valid' },
  { x: [2, 10, 7, 2], filter: [2, 2, 2, 2], stride: 2, pad: 'same' },
  { x: [1, 12, 12, 3], filter: [5, 5, 3, 2], stride: 3, pad: 'same' },
  { x: [1, 8, 8, 2], filter: [3, 3, 2, 2], stride: 2, pad: [[0, 0], [3, 0], [0, 2], [0, 0]] },
];

const byPhases = suite('conv2dBackpropInputByPhases');
byPhases.before(useCpu);
byPhases('(conv2dBackpropInputByConv agrees with the stock kernel on these strided cases too)', () => checkAgainstStock(conv2dBackpropInputByConv, PHASE_CASES, 700));
byPhases('matches the stock cpu Conv2DBackpropInput on the case table', () => checkAgainstStock(conv2dBackpropInputByPhases, CONV_CASES, 500));
byPhases('matches it where phases differ: odd sizes, 1×1 and 2×2 kernels, stride 3, large explicit padding', () => checkAgainstStock(conv2dBackpropInputByPhases, PHASE_CASES, 600));
byPhases('frees all its intermediates', () => {
  assert.is(buffersLeftBy(conv2dBackpropInputByPhases, PHASE_CASES[0], 5, 'dy,filter'), 0);
});
byPhases.run();

const pointwise = suite('conv2dBackpropInputPointwise');
pointwise.before(useCpu);
pointwise('matches the stock cpu Conv2DBackpropInput for strided 1×1 filters (strides 2-3, odd sizes, padding)', () =>
  checkAgainstStock(conv2dBackpropInputPointwise, [
    { x: [3, 6, 6, 4], filter: [1, 1, 4, 2], stride: 2, pad: 'same' },
    { x: [1, 12, 12, 5], filter: [1, 1, 5, 16], stride: 2, pad: 'valid' },
    { x: [2, 11, 10, 3], filter: [1, 1, 3, 2], stride: 3, pad: 'valid' },
    { x: [1, 7, 7, 2], filter: [1, 1, 2, 3], stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
    { x: [2, 9, 8, 3], filter: [1, 1, 3, 4], stride: 2, pad: 'same' },
  ], 800));
pointwise.run();
