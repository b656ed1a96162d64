import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from '../../lib/kernels';
import { convGradientKernel } from '../../lib/kernels/replacement';
import { useCpu } from '../helpers';

const kernel = suite('convGradientKernel');
kernel.before(useCpu);
kernel('runs the body with the resolved geometry and frees what the body leaves', () => {
  let seen: unknown = null;
  const body = (c: KernelComposer, first: tf.TensorInfo, second: tf.TensorInfo, g: unknown) => {
    seen = g;
    c.transpose(first, [0, 1, 2, 3]); // an intermediate the kernel must free
    return c.reshape(c.transpose(second, [0, 1, 2, 3]), [3, 3, 2, 4]);
  };
  const func = convGradientKernel('Conv2DBackpropFilter', 'cpu', body, undefined);
  const x = tf.ones([1, 5, 5, 2]);
  const dy = tf.ones([3, 3, 2, 4]);
  const before = tf.backend().numDataIds();
  const out = func({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides: 1, pad: 'valid', filterShape: [3, 3, 2, 4] } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  assert.is(tf.backend().numDataIds(), before + 1, 'only the result is left');
  assert.equal((seen as { outHeight: number }).outHeight, 3);
  tf.backend().disposeData(out.dataId);
  tf.dispose([x, dy]);
});
kernel('NCHW or non-float32 inputs go to the stock kernel when there is one, else a clear error', () => {
  const stock: tf.KernelFunc = () => ({ dataId: {}, shape: [1], dtype: 'float32' });
  const body = () => {
    throw new Error('body must not run');
  };
  const args = { inputs: { dy: tf.ones([1, 4, 3, 3]), filter: tf.ones([3, 3, 2, 4]) }, backend: tf.backend(), attrs: { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [1, 2, 3, 3] } as unknown as tf.NamedAttrMap };
  assert.equal((convGradientKernel('Conv2DBackpropInput', 'cpu', body, stock)(args) as tf.TensorInfo).shape, [1]);
  assert.throws(() => convGradientKernel('Conv2DBackpropInput', 'cpu', body, undefined)(args), /Conv2DBackpropInput on 'cpu': only NHWC float32 is supported, got dataFormat NCHW/);
  tf.dispose(Object.values(args.inputs));
});
kernel('a failing body frees its intermediates and rethrows', () => {
  const x = tf.ones([1, 4, 4, 1]);
  const dy = tf.ones([1, 2, 2, 1]);
  const before = tf.backend().numDataIds();
  const body = (c: KernelComposer, first: tf.TensorInfo): tf.TensorInfo => {
    c.transpose(first, [0, 1, 2, 3]);
    throw new Error('boom');
  };
  const func = convGradientKernel('Conv2DBackpropFilter', 'cpu', body, undefined);
  assert.throws(() => func({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides: 1, pad: 'valid', filterShape: [3, 3, 1, 1] } as unknown as tf.NamedAttrMap }), /boom/);
  assert.is(tf.backend().numDataIds(), before);
  tf.dispose([x, dy]);
});
kernel.run();
