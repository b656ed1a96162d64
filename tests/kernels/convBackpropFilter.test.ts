import { suite } from 'uvu';
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterByConv, conv2dBackpropFilterBySlices, conv2dBackpropFilterByTaps, conv2dBackpropFilterPointwise, convGeometry, KernelComposer } from '../../lib/kernels';
import type { ConvGeometry } from '../../lib/kernels';
import { assertClose, useCpu } from '../helpers';
import { buffersLeftBy, caseData, ConvCase, CONV_CASES, describeCase, maxAbs } from './cases';

type Algorithm = (c: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry) => tf.TensorInfo;

/**
 * Each composed algorithm, run with the cpu backend's own kernels, against the cpu backend's stock
 * Conv2DBackpropFilter (a direct loop over the definition), on every case of the table.
 */
function checkAgainstStock(algorithm: Algorithm, cases: ConvCase[] = CONV_CASES): void {
  cases.forEach((c, k) => {
    const d = caseData(c, 100 + k);
    const x = tf.tensor4d(d.x, c.x);
    const dy = tf.tensor(d.dy, d.dyShape);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter };
    const expected = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const composer = new KernelComposer(tf.backend(), 'cpu');
    const g = convGeometry(c.x, c.filter, c.stride, c.pad);
    const actual = tf.engine().makeTensorFromTensorInfo(composer.finish(algorithm(composer, x, dy, g)));
    const want = expected.dataSync();
    assertClose(actual.dataSync(), want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) }, describeCase(c));
    tf.dispose([x, dy, expected, actual]);
  });
}

for (const [name, algorithm] of [
  ['conv2dBackpropFilterByConv', conv2dBackpropFilterByConv],
  ['conv2dBackpropFilterByTaps', conv2dBackpropFilterByTaps],
  ['conv2dBackpropFilterBySlices', conv2dBackpropFilterBySlices],
] as Array<[string, Algorithm]>) {
  const s = suite(name);
  s.before(useCpu);
  s('matches the stock cpu Conv2DBackpropFilter (strides 1-2, same/valid/explicit, 1×1 and 3×3)', () => checkAgainstStock(algorithm));
  s('frees all its intermediates', () => {
    const left = buffersLeftBy(algorithm, CONV_CASES[1], 7, 'x,dy');
    if (left !== 0) throw new Error(`${left} buffers leaked`);
  });
  s.run();
}

/** 1×1 convolutions: strides 1-3, odd sizes, padding (which shifts the sampled pixels). */
const POINTWISE_CASES: ConvCase[] = [
  { x: [3, 6, 6, 4], filter: [1, 1, 4, 2], stride: 2, pad: 'same' },
  { x: [1, 12, 12, 5], filter: [1, 1, 5, 16], stride: 2, pad: 'valid' },
  { x: [2, 7, 9, 3], filter: [1, 1, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 11, 10, 3], filter: [1, 1, 3, 2], stride: 3, pad: 'valid' },
  { x: [1, 7, 7, 2], filter: [1, 1, 2, 3], stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
];
const pointwise = suite('conv2dBackpropFilterPointwise');
pointwise.before(useCpu);
pointwise('matches the stock cpu Conv2DBackpropFilter for 1×1 filters (strides 1-3, padding)', () => checkAgainstStock(conv2dBackpropFilterPointwise, POINTWISE_CASES));
pointwise('(conv2dBackpropFilterByConv routes 1×1 filters here and agrees too)', () => checkAgainstStock(conv2dBackpropFilterByConv, POINTWISE_CASES));
pointwise.run();
