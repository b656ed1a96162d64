import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from '../../lib/kernels';
import { useCpu, values } from '../helpers';

/** Run fn with a composer on the cpu backend; returns the result as a tensor the test owns. */
function compose(fn: (c: KernelComposer) => tf.TensorInfo): tf.Tensor {
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const info = composer.finish(fn(composer));
  return tf.engine().makeTensorFromTensorInfo(info);
}

const run = suite('KernelComposer.run');
run.before(useCpu);
run('runs a backend kernel and returns its output (transpose of a 2×3)', () => {
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const out = compose((c) => c.transpose(x, [1, 0]));
  assert.equal(out.shape, [3, 2]);
  assert.equal(Array.from(values(out)), [1, 4, 2, 5, 3, 6]);
  tf.dispose([x, out]);
});
run('an unknown kernel name is a clear error', () => {
  const composer = new KernelComposer(tf.backend(), 'cpu');
  assert.throws(() => composer.run('NoSuchKernel', {}), /backend 'cpu' has no kernel 'NoSuchKernel'/);
});
run('matMul, pad, stridedSlice and concat compose to the values of the public ops', () => {
  const a = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 2, 3]);
  const b = tf.tensor3d([1, 0, 0, 1, 1, 1], [1, 3, 2]);
  const product = compose((c) => c.matMul(a, b));
  assert.equal(Array.from(values(product)), Array.from(values(tf.matMul(a, b))));
  const padded = compose((c) => c.pad(a, [[0, 0], [1, 0], [0, 2]]));
  assert.equal(padded.shape, [1, 3, 5]);
  assert.equal(Array.from(values(padded)), Array.from(values(tf.pad(a, [[0, 0], [1, 0], [0, 2]]))));
  const strided = compose((c) => c.stridedSlice(a, [0, 0, 0], [1, 2, 3], [1, 1, 2]));
  assert.equal(Array.from(values(strided)), [1, 3, 4, 6]);
  const joined = compose((c) => c.concat([a, a], 2));
  assert.equal(Array.from(values(joined)), Array.from(values(tf.concat([a, a], 2))));
  tf.dispose([a, b, product, padded, strided, joined]);
});
run('no-op pad, whole-tensor slice and one-tensor concat return the input itself (no copy)', () => {
  const x = tf.ones([2, 3]);
  const composer = new KernelComposer(tf.backend(), 'cpu');
  assert.is(composer.pad(x, [[0, 0], [0, 0]]), x);
  assert.is(composer.stridedSlice(x, [0, 0], [2, 3], [1, 1]), x);
  assert.is(composer.concat([x], 0), x);
  x.dispose();
});
run.run();

const finish = suite('KernelComposer.finish');
finish.before(useCpu);
finish('frees every intermediate, keeps the result, leaves inputs alone', () => {
  const x = tf.ones([4, 5]);
  const before = tf.backend().numDataIds();
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const t1 = composer.transpose(x, [1, 0]);
  const t2 = composer.pad(t1, [[1, 1], [0, 0]]);
  const r = composer.reshape(t2, [28]); // (5, 4) padded to (7, 4)
  composer.finish(r);
  assert.is(tf.backend().numDataIds(), before + 1, 'only the result survives');
  tf.backend().disposeData(r.dataId);
  assert.is(tf.backend().numDataIds(), before);
  assert.equal(Array.from(values(x)), new Array(20).fill(1), 'input untouched');
  x.dispose();
});
finish('free() releases one intermediate early; abandon() releases all', () => {
  const x = tf.ones([3, 3]);
  const before = tf.backend().numDataIds();
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const t1 = composer.transpose(x, [1, 0]);
  composer.transpose(t1, [1, 0]);
  composer.free(t1);
  assert.is(tf.backend().numDataIds(), before + 1);
  composer.free(x); // not an intermediate: ignored
  composer.abandon();
  assert.is(tf.backend().numDataIds(), before);
  assert.equal(Array.from(values(x)), new Array(9).fill(1));
  x.dispose();
});
finish.run();
