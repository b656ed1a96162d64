import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { canMakeViews, makeView, releaseView } from '../../lib/kernels/wasmViews';

const views = suite('makeView / releaseView');
views.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});
views('canMakeViews: true for the wasm backend, false for others', async () => {
  assert.ok(canMakeViews(tf.backend()));
  assert.not.ok(canMakeViews(tf.findBackend('cpu') ?? (await tf.setBackend('cpu'), tf.findBackend('cpu'))));
  await tf.setBackend('wasm');
  assert.not.ok(canMakeViews(null));
});
views('a view reads the source elements [offset, offset + size) without copying', () => {
  const source = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7]);
  const before = tf.backend().numDataIds();
  const view = makeView(tf.backend(), source, [2, 2], 3);
  assert.is(tf.backend().numDataIds(), before + 1);
  assert.equal(view.shape, [2, 2]);
  assert.equal(Array.from(tf.backend().readSync(view.dataId) as Float32Array), [3, 4, 5, 6]);
  releaseView(tf.backend(), view);
  assert.is(tf.backend().numDataIds(), before, 'the view id is gone');
  assert.equal(Array.from(source.dataSync()), [0, 1, 2, 3, 4, 5, 6, 7], 'the source memory is intact');
  source.dispose();
});
views('a range outside the source is an error', () => {
  const source = tf.zeros([4]);
  assert.throws(() => makeView(tf.backend(), source, [3], 2), /elements \[2, 5\) are outside the source's 4/);
  source.dispose();
});
views.run();
