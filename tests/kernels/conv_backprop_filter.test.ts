import { suite } from 'uvu';
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterByConv, conv2dBackpropFilterBySlices, conv2dBackpropFilterByTaps, convGeometry, KernelComposer } from '../../lib/kernels';
import type { ConvGeometry } from '../../lib/kernels';
import { assertClose, useCpu } from '../helpers';
import { caseData, CONV_CASES, describeCase, maxAbs } from './cases';

type Algorithm = (c: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry) => tf.TensorInfo;

/**
 * Each composed algorithm, run with the cpu backend's own kernels, against the cpu backend's stock
 * Conv2DBackpropFilter (a direct loop over the definition), on every case of the table.
 */
function checkAgainstStock(algorithm: Algorithm): void {
  CONV_CASES.forEach((c, k) => {
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
    const c = CONV_CASES[1];
    const d = caseData(c, 7);
    const x = tf.tensor4d(d.x, c.x);
    const dy = tf.tensor(d.dy, d.dyShape);
    const before = tf.backend().numDataIds();
    const composer = new KernelComposer(tf.backend(), 'cpu');
    const out = composer.finish(algorithm(composer, x, dy, convGeometry(c.x, c.filter, c.stride, c.pad)));
    tf.backend().disposeData(out.dataId);
    if (tf.backend().numDataIds() !== before) throw new Error(`${tf.backend().numDataIds() - before} buffers leaked`);
    tf.dispose([x, dy]);
  });
  s.run();
}
