import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { resnet18Model, seedModel, smallCnnModel } from '../../lib/models/presets';
import { formulaImages, setFormulaWeights } from './formulaWeights';
import golden from './fixtures/golden.json';

const denseShapes = (model: tf.LayersModel) => model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getWeights()[0].shape);

const Seed = suite('seedModel');
Seed.before(useCpu);

Seed('seed encoder + mlp 32 → 128 → 128: h (N, 32), z (N, 128); 896 + 20,736 parameters', () => {
  const model = seedModel();
  assert.is(model.encoder.countParams(), 896);
  assert.is(model.head.countParams(), 32 * 128 + 128 + 128 * 128 + 128);
  assert.is(model.countParams(), 21632);
  assert.is(model.countTrainableParams(), 21632);
  const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const { h, z } = model.embed(x);
  assert.equal([h.shape, z.shape], [[2, 32], [2, 128]]);
  tf.dispose([x, h, z]);
  model.dispose();
});

Seed("matches the seed article's PyTorch model (encoder and projection head) on shared weights", () => {
  const { input_shape: shape, h: expectedH, z: expectedZ } = golden.seed;
  const model = seedModel({ inputShape: shape.slice(1) as [number, number, number] });
  assert.is(setFormulaWeights(model.encoder) + setFormulaWeights(model.head), 6);
  const x = formulaImages(shape as [number, number, number, number]);
  const { h, z } = model.embed(x);
  assertClose(values(h), expectedH, { rtol: 1e-4, atol: 1e-5 }, 'h');
  assertClose(values(z), expectedZ, { rtol: 1e-4, atol: 1e-5 }, 'z');
  tf.dispose([x, h, z]);
  model.dispose();
});

Seed('the encoder and the head are seeded differently, reproducibly', () => {
  const a = seedModel({ seed: 7 }), b = seedModel({ seed: 7 }), c = seedModel({ seed: 8 });
  assertClose(values(a.encoder.getWeights()[0]), values(b.encoder.getWeights()[0]), { rtol: 0, atol: 0 });
  assert.ok(values(a.encoder.getWeights()[0]).some((v, i) => v !== values(c.encoder.getWeights()[0])[i]));
  assert.throws(() => seedModel({ seed: 0.5 }), /seed must be an integer, got 0.5/);
  [a, b, c].forEach((m) => m.dispose());
});

Seed.run();

const SmallCnn = suite('smallCnnModel');
SmallCnn.before(useCpu);

SmallCnn("CPU preset: small CNN 32-64-128 with BN + mlp 128 → 128 → 64 (ENVIRONMENT.md's reference): h (N, 128), z (N, 64)", () => {
  const model = smallCnnModel();
  assert.equal(model.inputShape, [28, 28, 1]);
  assert.equal([model.representationDim, model.projectionDim], [128, 64]);
  assert.equal(denseShapes(model.head), [[128, 128], [128, 64]]);
  assert.is(model.countTrainableParams(), 92896 + 128 * 128 + 128 + 128 * 64 + 64);
  assert.is(model.countParams(), model.countTrainableParams() + 448);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const { h, z } = model.embed(x);
  assert.equal([h.shape, z.shape], [[2, 128], [2, 64]]);
  tf.dispose([x, h, z]);
  model.dispose();
});

SmallCnn('prints the time of one forward + backward pass on the cpu backend (information, not asserted)', () => {
  // The full (256, 28, 28, 1) batch takes minutes on the pure-JS cpu backend; SIMCLR_TIMING_BATCH=256 runs it.
  const batch = Number(process.env.SIMCLR_TIMING_BATCH ?? 2);
  const model = smallCnnModel();
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const start = performance.now();
  const { value, grads } = tf.variableGrads(() => tf.sum(model.embed(x, { training: true }).z) as tf.Scalar, model.trainableVariables());
  value.dataSync();
  const seconds = (performance.now() - start) / 1000;
  console.log(`  smallCnnModel forward+backward, batch (${batch}, 28, 28, 1), ${tf.getBackend()} backend: ${seconds.toFixed(2)} s (${(batch / seconds).toFixed(1)} images/s)`);
  assert.is(Object.keys(grads).length, model.trainableWeights.length);
  tf.dispose([x, value, ...Object.values(grads)]);
  model.dispose();
});

SmallCnn.run();

const Resnet = suite('resnet18Model');
Resnet.before(useCpu);

Resnet('CIFAR ResNet-18 + mlp 8w → 8w → 128: width 4 gives h (N, 32), z (N, 128); width 64 gives h of 512', () => {
  const model = resnet18Model({ width: 4 });
  assert.equal(denseShapes(model.head), [[32, 32], [32, 128]]);
  const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const { h, z } = model.embed(x);
  assert.equal([h.shape, z.shape], [[2, 32], [2, 128]]);
  tf.dispose([x, h, z]);
  model.dispose();
  const full = resnet18Model({ outputDim: 64 }); // built, never run
  assert.equal([full.representationDim, full.projectionDim], [512, 64]);
  assert.is(full.countTrainableParams(), 11_168_832 + 512 * 512 + 512 + 512 * 64 + 64);
  full.dispose();
});

Resnet.run();
