/**
 * lib/models/batchNorm: the BatchNormalization layer whose training step uses the fused oneDNN kernels on wasm.
 * Checked against tfjs's own layer on the cpu backend (values, moving averages, gradients), a float64 loop of the
 * closed form, and for leaks. The fused path needs the addon: without it (and without SIMCLR_REQUIRE_NATIVE=1)
 * those tests report a skip; the fallback tests always run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastKernels, restoreStockKernels } from '../../lib/kernels';
import { loadNativeConv } from '../../lib/kernels/native';
import { batchNormalization, batchNormTraining, fusedBatchNormAvailable } from '../../lib/models/batchNorm';
import { assertClose, assertNoLeak } from '../helpers';
import { batchNormReference, onBackend, seededValues } from '../kernels/cases';

const native = loadNativeConv();
const required = process.env.SIMCLR_REQUIRE_NATIVE === '1';

/** One training call of a layer: y, the moving mean and variance after it, and dL/d(x, γ, β) for L = Σ y ⊙ r. */
async function trainingStep(make: () => tf.layers.Layer, shape: number[], seed: number) {
  const layer = make();
  layer.build(shape);
  const x = tf.tensor(seededValues(shape, seed), shape);
  // Non-trivial γ, β and moving statistics, so that each enters the result.
  const channels = shape[shape.length - 1];
  layer.setWeights([
    tf.tensor(seededValues([channels], seed + 1)).add(1.5),
    tf.tensor(seededValues([channels], seed + 2)),
    tf.tensor(seededValues([channels], seed + 3)),
    tf.tensor(seededValues([channels], seed + 4)).abs().add(0.5),
  ]);
  const r = tf.tensor(seededValues(shape, seed + 5), shape);
  const [gamma, beta] = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar, [gamma, beta]);
  const y = tf.tidy(() => layer.apply(x, { training: false }) as tf.Tensor); // inference after the update
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, r)))(x);
  const weights = layer.getWeights().map((w) => Array.from(w.dataSync()));
  const out = {
    loss: value.dataSync()[0],
    inference: Array.from(y.dataSync()),
    dgamma: Array.from(grads[gamma.name].dataSync()),
    dbeta: Array.from(grads[beta.name].dataSync()),
    dx: Array.from(dx.dataSync()),
    movingMean: weights[2],
    movingVariance: weights[3],
    className: layer.getClassName(),
    weightNames: layer.weights.map((w) => w.originalName),
  };
  tf.dispose([x, r, value, y, dx, ...Object.values(grads)]);
  layer.weights.forEach((w) => w.dispose());
  return out;
}

const stockLayer = () => tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: 'bn' });
const ourLayer = () => batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: 'bn' });

const fallback = suite('BatchNormalization without the fused kernels');
fallback('on the cpu backend it is tfjs\'s layer: same values, moving averages, gradients, class and weight names', async () => {
  await tf.setBackend('cpu');
  assert.not.ok(fusedBatchNormAvailable());
  const ours = await trainingStep(ourLayer, [4, 3, 3, 5], 10);
  const stock = await trainingStep(stockLayer, [4, 3, 3, 5], 10);
  assert.equal(ours, stock);
  assert.is(ours.className, 'BatchNormalization');
});
fallback.run();

const fused = suite(native.available ? 'BatchNormalization with the fused kernels (wasm + oneDNN)' : 'BatchNormalization with the fused kernels [skipped: addon not built]');
fused.before(async () => {
  assert.ok(native.available || !required, `SIMCLR_REQUIRE_NATIVE=1 but: ${native.detail}`);
  await tf.setBackend('wasm');
  await tf.ready();
  restoreStockKernels('wasm');
  registerFastKernels('wasm');
});
fused.after(() => {
  restoreStockKernels('wasm');
});
if (native.available) {
  fused('the fused path is taken on wasm, and restoring the stock kernels turns it off', () => {
    assert.ok(fusedBatchNormAvailable());
    restoreStockKernels('wasm');
    assert.not.ok(fusedBatchNormAvailable());
    registerFastKernels('wasm');
    assert.ok(fusedBatchNormAvailable());
  });
  fused('training values, moving averages and gradients (x, γ, β) equal tfjs\'s layer on the cpu backend; NHWC and (N, C)', async () => {
    for (const [k, shape] of [[8, 6, 6, 16], [3, 5, 7, 3], [32, 12], [2, 1, 1, 4]].entries()) {
      const ours = await trainingStep(ourLayer, shape, 20 + k * 10);
      const stock = await onBackend('cpu', () => trainingStep(stockLayer, shape, 20 + k * 10));
      const label = `[${shape}]`;
      assert.equal(ours.className, stock.className);
      assert.equal(ours.weightNames, stock.weightNames, `${label} weight names`);
      assertClose(ours.loss, stock.loss, { rtol: 1e-5, atol: 1e-4 }, `${label} loss`);
      assertClose(ours.inference, stock.inference, { rtol: 1e-4, atol: 1e-5 }, `${label} inference after the update`);
      assertClose(ours.movingMean, stock.movingMean, { rtol: 1e-5, atol: 1e-6 }, `${label} moving mean`);
      assertClose(ours.movingVariance, stock.movingVariance, { rtol: 1e-5, atol: 1e-6 }, `${label} moving variance`);
      assertClose(ours.dgamma, stock.dgamma, { rtol: 1e-4, atol: 1e-4 }, `${label} dγ`);
      assertClose(ours.dbeta, stock.dbeta, { rtol: 1e-4, atol: 1e-4 }, `${label} dβ`);
      assertClose(ours.dx, stock.dx, { rtol: 1e-3, atol: 1e-4 }, `${label} dx`);
    }
  });
  fused('batchNormTraining equals a float64 loop of the closed form (y, μ, biased σ², dx, dγ, dβ)', () => {
    const [rows, channels, eps] = [50, 3, 1e-5];
    const x = seededValues([rows, channels], 7).map((v) => 2 * v + 1);
    const gamma = Float32Array.from([0.5, 1.5, -1]);
    const beta = Float32Array.from([0.1, -0.2, 0.3]);
    const r = seededValues([rows, channels], 8);
    const [y, mean, variance] = batchNormTraining(tf.tensor2d(x, [rows, channels]), tf.tensor1d(gamma), tf.tensor1d(beta), eps);
    const [dx, dgamma, dbeta] = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTraining(xi, g, b, eps)[0], tf.tensor2d(r, [rows, channels]))))([
      tf.tensor2d(x, [rows, channels]), tf.tensor1d(gamma), tf.tensor1d(beta),
    ]);
    const ref = batchNormReference(x, r, gamma, beta, rows, channels, eps);
    for (let c = 0; c < channels; c++) {
      assertClose(mean.dataSync()[c], ref.mean[c], { rtol: 1e-5, atol: 1e-6 }, `μ[${c}]`);
      assertClose(variance.dataSync()[c], ref.variance[c], { rtol: 1e-5, atol: 1e-6 }, `σ²[${c}]`);
      assertClose(dgamma.dataSync()[c], ref.dscale[c], { rtol: 1e-4, atol: 1e-5 }, `dγ[${c}]`);
      assertClose(dbeta.dataSync()[c], ref.dshift[c], { rtol: 1e-5, atol: 1e-5 }, `dβ[${c}]`);
      for (let i = 0; i < rows; i++) {
        assertClose(y.dataSync()[i * channels + c], ref.y[i * channels + c], { rtol: 1e-5, atol: 1e-5 }, `y[${i},${c}]`);
        assertClose(dx.dataSync()[i * channels + c], ref.dx[i * channels + c], { rtol: 1e-4, atol: 1e-5 }, `dx[${i},${c}]`);
      }
    }
    tf.dispose([y, mean, variance, dx, dgamma, dbeta]);
  });
  fused('no tensor or wasm buffer is leaked by a training step through the layer', async () => {
    const layer = ourLayer();
    layer.build([4, 5, 5, 8]);
    const x = tf.tensor(seededValues([4, 5, 5, 8], 3), [4, 5, 5, 8]);
    const [gamma, beta] = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, [gamma, beta]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const ids = tf.backend().numDataIds();
    await assertNoLeak(step, 3, 'fused batch norm step');
    assert.is(tf.backend().numDataIds(), ids, 'wasm buffers');
    tf.dispose(x);
    layer.weights.forEach((w) => w.dispose());
  });
  fused('bad input is refused with a clear message', () => {
    assert.throws(() => batchNormTraining(tf.ones([4, 3]), tf.ones([3]), tf.zeros([3]), 0), /epsilon must be > 0/);
    assert.throws(() => batchNormTraining(tf.ones([4, 3]), tf.ones([2]), tf.zeros([3]), 1e-5), /scale must be float32 of 3 values/);
    assert.throws(() => batchNormTraining(tf.ones([4], 'float32'), tf.ones([4]), tf.zeros([4]), 1e-5), /rank >= 2/);
  });
}
fused.run();
