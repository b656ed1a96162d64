import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropInputByConv, convGeometry, KernelComposer } from '../../lib/kernels';
import { assertClose, useCpu } from '../helpers';
import { caseData, CONV_CASES, describeCase, maxAbs } from './cases';

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
  const c = CONV_CASES[2];
  const d = caseData(c, 5);
  const filter = tf.tensor4d(d.filter, c.filter);
  const dy = tf.tensor(d.dy, d.dyShape);
  const before = tf.backend().numDataIds();
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const out = composer.finish(conv2dBackpropInputByConv(composer, dy, filter, convGeometry(c.x, c.filter, c.stride, c.pad)));
  tf.backend().disposeData(out.dataId);
  assert.is(tf.backend().numDataIds(), before);
  tf.dispose([filter, dy]);
});
byConv.run();
