import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';
import { SimclrModel, createSimclrModel } from '../../lib/models/simclrModel';
import { smallCnnEncoder } from '../../lib/models/smallCnn';
import { resnet18Encoder } from '../../lib/models/resnet';
import { seedEncoder } from '../../lib/models/seedEncoder';
import { projectionHead } from '../../lib/models/heads';

/** A small BN model: 2-stage CNN (4, 8) on 12×12×1 and an mlp head 8 → 8 → 4 with BN. */
function bnModel(seed = 1): SimclrModel {
  return createSimclrModel({
    encoder: smallCnnEncoder({ inputShape: [12, 12, 1], widths: [4, 8], seed }),
    head: projectionHead({ inputDim: 8, hiddenDim: 8, outputDim: 4, batchNorm: true, seed: seed + 1 }),
  });
}

/** The seed architecture (no BN) at 8×8. */
function plainModel(seed = 1): SimclrModel {
  return createSimclrModel({
    encoder: seedEncoder({ inputShape: [8, 8, 3], filters: 6, seed }),
    head: projectionHead({ inputDim: 6, hiddenDim: 10, outputDim: 5, seed: seed + 1 }),
  });
}

const images = (shape: number[], seed = 7) => tf.randomUniform(shape as [number, number, number, number], 0, 1, 'float32', seed) as tf.Tensor4D;
const maxGap = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

const Construct = suite('createSimclrModel / SimclrModel constructor');
Construct.before(useCpu);

Construct('records the dimensions and refuses an encoder/head mismatch', () => {
  const model = bnModel();
  assert.equal(model.inputShape, [12, 12, 1]);
  assert.is(model.representationDim, 8);
  assert.is(model.projectionDim, 4);
  const encoder = seedEncoder({ inputShape: [8, 8, 3], filters: 6 });
  const head = projectionHead({ inputDim: 7 });
  assert.throws(() => new SimclrModel({ encoder, head }), /the head takes 7 features but the encoder gives 6/);
  assert.throws(() => new SimclrModel({ encoder } as any), /expected \{encoder, head\}/);
  [encoder, head].forEach((m) => m.dispose());
  model.dispose();
});

Construct.run();

const Embed = suite('SimclrModel.embed / representation');
Embed.before(useCpu);

Embed('shapes: h (N, F) and z (N, D); representation = h in inference; wrong image shapes refused', () => {
  const model = bnModel();
  const x = images([3, 12, 12, 1]);
  const { h, z } = model.embed(x);
  assert.equal(h.shape, [3, 8]);
  assert.equal(z.shape, [3, 4]);
  const r = model.representation(x);
  assertClose(values(r), values(h), { rtol: 0, atol: 0 });
  const resnet = createSimclrModel({ encoder: resnet18Encoder({ width: 4 }), head: projectionHead({ inputDim: 32 }) });
  const y = images([2, 32, 32, 3]);
  const embedded = resnet.embed(y, { training: true });
  assert.equal(embedded.h.shape, [2, 32]);
  assert.equal(embedded.z.shape, [2, 128]);
  const wrong = images([3, 12, 12, 3]);
  assert.throws(() => model.embed(wrong), /expected images \(N, 12, 12, 1\), got \[3,12,12,3\]/);
  assert.throws(() => model.representation(tf.zeros([12, 12, 1]) as any), /expected images/);
  tf.dispose([x, h, z, r, y, embedded.h, embedded.z, wrong]);
  model.dispose();
  resnet.dispose();
});

Embed('with BN, training (batch statistics) and inference (moving statistics) differ; only training moves the moving statistics', () => {
  const model = bnModel();
  const x = images([4, 12, 12, 1]);
  const movingMean = () => values(model.encoder.getLayer('small_cnn_stage1_bn').getWeights()[2]);
  const inference = model.embed(x, { training: false });
  assertClose(movingMean(), [0, 0, 0, 0], { rtol: 0, atol: 0 }, 'inference leaves the moving mean at 0');
  const training = model.embed(x, { training: true });
  assert.ok(maxGap(training.z, inference.z) > 1e-3, 'z differs between modes');
  assert.ok(maxGap(training.h, inference.h) > 1e-3, 'h differs between modes');
  assert.ok(Math.max(...movingMean().map(Math.abs)) > 1e-4, 'a training call updates the moving mean');
  tf.dispose([inference.h, inference.z, training.h, training.z, x]);
  model.dispose();
});

Embed('without BN (seed architecture) training and inference give identical h and z', () => {
  const model = plainModel();
  const x = images([3, 8, 8, 3]);
  const a = model.embed(x, { training: false });
  const b = model.embed(x, { training: true });
  assertClose(values(a.h), values(b.h), { rtol: 0, atol: 0 });
  assertClose(values(a.z), values(b.z), { rtol: 0, atol: 0 });
  tf.dispose([x, a.h, a.z, b.h, b.z]);
  model.dispose();
});

Embed('no tensor leaks in embed (both modes) and representation', async () => {
  const model = bnModel();
  const x = images([2, 12, 12, 1]);
  await assertNoLeak(() => tf.dispose(Object.values(model.embed(x, { training: true }))), 2, 'training embed');
  await assertNoLeak(() => tf.dispose(Object.values(model.embed(x, { training: false }))), 2, 'inference embed');
  await assertNoLeak(() => model.representation(x).dispose(), 2, 'representation');
  x.dispose();
  model.dispose();
});

Embed.run();

const Weights = suite('SimclrModel weights');
Weights.before(useCpu);

Weights('gradients of sum(z) reach every trainable weight (small CNN + BN head, and ResNet-18 width 4)', () => {
  for (const model of [bnModel(), createSimclrModel({ encoder: resnet18Encoder({ width: 4, inputShape: [8, 8, 3] }), head: projectionHead({ inputDim: 32, hiddenDim: 16, outputDim: 8 }) })]) {
    const x = images([3, ...model.inputShape]);
    const variables = model.trainableVariables();
    assert.is(variables.length, model.trainableWeights.length);
    const { value, grads } = tf.variableGrads(() => tf.sum(model.embed(x, { training: true }).z) as tf.Scalar, variables);
    for (const variable of variables) {
      const grad = grads[variable.name];
      assert.ok(grad, `no gradient for ${variable.name}`);
      assert.equal(grad.shape, variable.shape);
      const norm = tf.tidy(() => tf.norm(grad).dataSync()[0]);
      assert.ok(norm > 0 && Number.isFinite(norm), `gradient of ${variable.name} has norm ${norm}`);
    }
    tf.dispose([value, x, ...Object.values(grads)]);
    model.dispose();
  }
});

Weights('an Adam step leaks nothing and moves every trainable weight and the BN statistics', async () => {
  const model = bnModel();
  const x = images([4, 12, 12, 1]);
  const before = model.getWeights();
  const optimizer = tf.train.adam(1e-2);
  const step = () => optimizer.minimize(() => tf.sum(model.embed(x, { training: true }).z) as tf.Scalar, false, model.trainableVariables());
  await assertNoLeak(step, 2, 'gradient step');
  const after = model.getWeights();
  model.weights.forEach((weight, i) => {
    assert.ok(maxGap(before[i], after[i]) > 0, `${weight.name} did not move`);
  });
  tf.dispose([...before, ...after, x]);
  optimizer.dispose();
  model.dispose();
});

Weights('same seed → same initial weights; different seed → different', () => {
  const [a, b, c] = [bnModel(3), bnModel(3), bnModel(4)];
  const [wa, wb, wc] = [a, b, c].map((m) => m.getWeights());
  wa.forEach((w, i) => assertClose(values(w), values(wb[i]), { rtol: 0, atol: 0 }, `weight ${i}`));
  const differing = wa.filter((w, i) => maxGap(w, wc[i]) > 0).length;
  assert.is(differing, a.trainableWeights.filter((w) => /kernel|bias/.test(w.name)).length, 'every random weight differs; BN weights start equal');
  tf.dispose([...wa, ...wb, ...wc]);
  [a, b, c].forEach((m) => m.dispose());
});

Weights('getWeights/setWeights round-trip: snapshots survive training and restore the outputs exactly', () => {
  const source = bnModel(5);
  const target = bnModel(6);
  const x = images([3, 12, 12, 1]);
  tf.dispose(Object.values(source.embed(x, { training: true }))); // move BN statistics off their initial values
  const snapshot = source.getWeights();
  target.setWeights(snapshot);
  const a = source.embed(x), b = target.embed(x);
  assertClose(values(b.z), values(a.z), { rtol: 0, atol: 0 });
  const copy = snapshot.map((t) => values(t));
  tf.dispose(Object.values(source.embed(x, { training: true }))); // training changes source, not the snapshot
  snapshot.forEach((t, i) => assertClose(values(t), copy[i], { rtol: 0, atol: 0 }));
  assert.throws(() => target.setWeights(snapshot.slice(1)), /expected \d+ tensors \(\d+ encoder \+ \d+ head\), got \d+/);
  tf.dispose([...snapshot, x, a.h, a.z, b.h, b.z]);
  source.dispose();
  target.dispose();
});

Weights('countParams counts moving statistics too; countTrainableParams only what gradients update; dispose frees all weights', () => {
  const model = bnModel();
  const trainable = 9 * 1 * 4 + 2 * 4 + 9 * 4 * 8 + 2 * 8 + (8 * 8 + 2 * 8) + (8 * 4 + 4);
  assert.is(model.countTrainableParams(), trainable);
  assert.is(model.countParams(), trainable + 2 * (4 + 8) + 2 * 8);
  const tensors = tf.memory().numTensors;
  const count = model.weights.length;
  model.dispose();
  assert.is(tf.memory().numTensors, tensors - count);
});

Weights.run();
