import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { projectionHead } from '../../lib/models/heads';

const Head = suite('projectionHead');
Head.before(useCpu);

const h = () => tf.randomNormal([5, 32], 0, 1, 'float32', 11) as tf.Tensor2D;

Head("kind 'none': z = h, no parameters; an outputDim other than inputDim is refused", () => {
  const head = projectionHead({ kind: 'none', inputDim: 32 });
  assert.is(head.countParams(), 0);
  const x = h();
  const z = head.predict(x) as tf.Tensor;
  assert.equal(z.shape, [5, 32]);
  assertClose(values(z), values(x), { rtol: 0, atol: 0 });
  assert.throws(() => projectionHead({ kind: 'none', inputDim: 32, outputDim: 128 }), /outputDim must equal inputDim \(32\), got 128/);
  tf.dispose([x, z]);
  head.dispose();
});

Head("kind 'linear': z = h W + b, inputDim·outputDim + outputDim parameters", () => {
  const head = projectionHead({ kind: 'linear', inputDim: 32, outputDim: 16 });
  assert.is(head.countParams(), 32 * 16 + 16);
  const [kernel, bias] = head.getWeights();
  const x = h();
  const z = head.predict(x) as tf.Tensor;
  const expected = tf.add(tf.matMul(x, kernel), bias);
  assert.equal(z.shape, [5, 16]);
  assertClose(values(z), values(expected), { rtol: 1e-5, atol: 1e-6 });
  tf.dispose([x, z, expected]);
  head.dispose();
});

Head("kind 'mlp' (the seed's 32 → 128 → 128): z = ReLU(h W₁ + b₁) W₂ + b₂, 32·128 + 128 + 128·128 + 128 = 20,736 parameters", () => {
  const head = projectionHead({ kind: 'mlp', inputDim: 32, hiddenDim: 128, outputDim: 128, layers: 2 });
  assert.is(head.countParams(), 32 * 128 + 128 + 128 * 128 + 128);
  assert.is(head.countParams(), 20736);
  const [w1, b1, w2, b2] = head.getWeights();
  const x = h();
  const z = head.predict(x) as tf.Tensor;
  const expected = tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
  assert.equal(z.shape, [5, 128]);
  assertClose(values(z), values(expected), { rtol: 1e-5, atol: 1e-6 });
  tf.dispose([x, z, expected]);
  head.dispose();
});

Head('defaults: mlp, hiddenDim = inputDim, outputDim 128, 2 layers, no BN (SimCLR 2048 → 2048 → 128 shape)', () => {
  const head = projectionHead({ inputDim: 64 });
  assert.equal(head.outputs[0].shape, [null, 128]);
  assert.equal(head.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.outputShape), [[null, 64], [null, 128]]);
  assert.is(head.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 0);
  head.dispose();
});

Head('3 layers with BN: (Dense without bias → BN → ReLU) × 2 then Dense; BN makes training and inference differ', () => {
  const head = projectionHead({ inputDim: 32, hiddenDim: 16, outputDim: 8, layers: 3, batchNorm: true });
  const trainable = 32 * 16 + 2 * 16 + 16 * 16 + 2 * 16 + 16 * 8 + 8;
  assert.is(head.countParams(), trainable + 2 * (16 + 16));
  assert.equal(head.layers.map((l) => l.getClassName()), ['InputLayer', 'Dense', 'BatchNormalization', 'ReLU', 'Dense', 'BatchNormalization', 'ReLU', 'Dense']);
  const x = h();
  const inference = head.apply(x, { training: false }) as tf.Tensor;
  const training = head.apply(x, { training: true }) as tf.Tensor;
  assert.equal(training.shape, [5, 8]);
  const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0]);
  assert.ok(gap > 1e-3, `training and inference outputs should differ, max gap ${gap}`);
  tf.dispose([x, inference, training]);
  head.dispose();
});

Head('rejects bad options with what was expected and what was got', () => {
  assert.throws(() => projectionHead({ kind: 'mlp', inputDim: 32, layers: 1 }), /layers ≥ 2 \(use kind 'linear' for one Dense\), got 1/);
  assert.throws(() => projectionHead({ kind: 'deep' as any, inputDim: 32 }), /kind must be 'none', 'linear' or 'mlp', got "deep"/);
  assert.throws(() => projectionHead({} as any), /inputDim must be a positive integer, got undefined/);
  assert.throws(() => projectionHead({ inputDim: 32, hiddenDim: -4 }), /hiddenDim must be a positive integer, got -4/);
  assert.throws(() => projectionHead(undefined as any), /expected an options object with inputDim/);
});

Head.run();
