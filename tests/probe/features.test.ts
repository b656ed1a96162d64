import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { extractFeatures } from '../../lib/probe/features';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';

function randomImages(seed: number, n: number, size = 8, channels = 1) {
  const rng = new Rng(seed);
  return { images: Uint8Array.from({ length: n * size * size * channels }, () => rng.int(256)), shape: [n, size, size, channels] as [number, number, number, number] };
}

/** A small encoder with batch norm and dropout, so that training-mode behaviour would show. */
function smallEncoder(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: 6, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

const Extract = suite('extractFeatures');
let model: tf.LayersModel;
Extract.before(async () => {
  await useCpu();
  model = smallEncoder();
});
Extract.after(() => {
  model.dispose();
});

Extract('pixels reach the encoder as float32 /255 in NHWC order, then through normalize', async () => {
  const data = randomImages(1, 5, 2, 3);
  const flatten = (x: tf.Tensor4D) => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
  const plain = await extractFeatures(flatten, data, { batchSize: 2 });
  assert.equal([plain.count, plain.dim], [5, 12]);
  assertClose(plain.features, Array.from(data.images, (v) => v / 255), { rtol: 1e-6 });
  const normalized = await extractFeatures(flatten, data, { normalize: (x) => tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D });
  assertClose(normalized.features, Array.from(data.images, (v) => (2 * v) / 255 - 1), { rtol: 1e-6, atol: 1e-6 });
});

Extract('a LayersModel gives the same features as one direct predict call, whatever the batch size', async () => {
  const data = randomImages(2, 10);
  const direct = tf.tidy(() => (model.predict(tf.div(tf.tensor4d(Float32Array.from(data.images), data.shape), 255)) as tf.Tensor).dataSync());
  for (const batchSize of [1, 3, 10, 256]) {
    const r = await extractFeatures(model, data, { batchSize });
    assert.equal([r.count, r.dim], [10, 6]);
    assertClose(r.features, Array.from(direct), { rtol: 1e-5, atol: 1e-6 }, `batchSize ${batchSize}`);
  }
  // An embed function in inference mode (apply with training: false) gives the same as predict.
  const viaApply = await extractFeatures((x) => model.apply(x, { training: false }) as tf.Tensor2D, data, { batchSize: 4 });
  assertClose(viaApply.features, Array.from(direct), { rtol: 1e-5, atol: 1e-6 });
});

Extract("the encoder's weights (batch-norm statistics included) do not change; no tensors leak", async () => {
  const data = randomImages(3, 7);
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  await assertNoLeak(() => extractFeatures(model, data, { batchSize: 3 }));
  await assertNoLeak(() => extractFeatures((x) => { tf.square(x); return model.apply(x, { training: false }) as tf.Tensor2D; }, data, { batchSize: 2 }));
  const after = model.getWeights().map((w) => Array.from(w.dataSync()));
  assert.equal(after, before);
});

Extract('control: a training-mode embed would change the outputs and the batch-norm statistics (so the checks above have teeth)', async () => {
  const fresh = smallEncoder();
  const data = randomImages(5, 6);
  const before = fresh.getWeights().map((w) => Array.from(w.dataSync()));
  const inference = await extractFeatures(fresh, data);
  const training = await extractFeatures((x) => fresh.apply(x, { training: true }) as tf.Tensor2D, data);
  const after = fresh.getWeights().map((w) => Array.from(w.dataSync()));
  assert.not.equal(Array.from(training.features), Array.from(inference.features));
  assert.not.equal(after, before);
  fresh.dispose();
});

Extract('bad input: empty set, size mismatch, wrong buffer, bad batch size, wrong output shape, several outputs; no leak on errors', async () => {
  const flatten = (x: tf.Tensor4D) => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
  await assertThrowsAsync(() => extractFeatures(flatten, { images: new Uint8Array(0), shape: [0, 8, 8, 1] }), /empty \(n = 0\)/);
  await assertThrowsAsync(() => extractFeatures(flatten, { images: new Uint8Array(10), shape: [2, 2, 2, 1] }), /10 bytes, shape 2x2x2x1 needs 8/);
  await assertThrowsAsync(() => extractFeatures(flatten, { images: new Float32Array(8) as any, shape: [2, 2, 2, 1] }), /Uint8Array/);
  await assertThrowsAsync(() => extractFeatures(flatten, randomImages(4, 2), { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  await assertThrowsAsync(() => extractFeatures(42 as any, randomImages(4, 2)), /must be a function .* or a tf.LayersModel/);
  const before = tf.memory().numTensors;
  await assertThrowsAsync(() => extractFeatures((x) => x as any, randomImages(4, 2)), /embed must return \(batch, D\) = \(2, D\), got shape \[2, 8, 8, 1\]/);
  await assertThrowsAsync(() => extractFeatures((x) => tf.zeros([x.shape[0], x.shape[0]]) as tf.Tensor2D, randomImages(4, 5), { batchSize: 3 }), /returned D = 2 for images 3\.\., but D = 3 before/);
  assert.is(tf.memory().numTensors, before, 'tensors leaked on the error paths');
  const input = tf.input({ shape: [8, 8, 1] });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor;
  const maxPooled = tf.layers.globalMaxPooling2d({}).apply(input) as tf.SymbolicTensor;
  const twoOutputs = tf.model({ inputs: input, outputs: [pooled, maxPooled] });
  await assertThrowsAsync(() => extractFeatures(twoOutputs, randomImages(4, 2)), /2 outputs; expected one/);
});

Extract.run();
