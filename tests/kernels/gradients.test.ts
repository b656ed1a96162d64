import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormGradConfig, GRADIENT_CONFIGS, meanGradConfig } from '../../lib/kernels/gradients';
import { assertClose, assertNoLeak, useCpu } from '../helpers';
import { maxAbs, seededValues } from './cases';

/** Run fn with `config` as the registered gradient, then put tfjs's own back. */
function withGradient<T>(config: tf.GradConfig | null, fn: () => T): T {
  const stock = tf.getGradient(config?.kernelName ?? '');
  if (config) tf.registerGradient(config);
  try {
    return fn();
  } finally {
    if (config && stock) tf.registerGradient(stock);
  }
}

const registry = suite('GRADIENT_CONFIGS');
registry('replaces exactly FusedBatchNorm and Mean', () => {
  assert.equal(GRADIENT_CONFIGS.map((g) => g.kernelName), ['FusedBatchNorm', 'Mean']);
});
registry.run();

/** Gradients of Σ batchNorm(x, μ, σ², β, γ) ⊙ r with respect to every input. */
function batchNormGradients(xShape: number[], paramShape: number[], withScale: boolean, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(seededValues(xShape, seed), xShape);
    const mean = tf.tensor(seededValues(paramShape, seed + 1), paramShape);
    const variance = tf.abs(tf.tensor(seededValues(paramShape, seed + 2), paramShape)).add(0.1);
    const offset = tf.tensor(seededValues(paramShape, seed + 3), paramShape);
    const scale = tf.tensor(seededValues(paramShape, seed + 4), paramShape);
    const r = tf.tensor(seededValues(xShape, seed + 5), xShape);
    const inputs = withScale ? [x, mean, variance, offset, scale] : [x, mean, variance, offset];
    const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(tf.batchNorm(t[0], t[1], t[2], t[3], withScale ? t[4] : undefined, 1e-3), r)))(inputs);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

const batchNorm = suite('fusedBatchNormGradConfig');
batchNorm.before(useCpu);
const bnCases: Array<[number[], number[], boolean]> = [
  [[4, 5, 5, 3], [3], true], // NHWC with per-channel parameters: the tf.layers path
  [[6, 4], [4], true],
  [[3, 2, 4, 5], [5], true],
];
// (Without a scale, tfjs's engine fails before any gradient runs: it saves the missing input for backprop.)
batchNorm("equals tfjs's own FusedBatchNorm gradient for x, mean, variance, offset and scale", () => {
  bnCases.forEach(([xShape, paramShape, withScale], k) => {
    const expected = withGradient(null, () => batchNormGradients(xShape, paramShape, withScale, 10 * k));
    const actual = withGradient(fusedBatchNormGradConfig, () => batchNormGradients(xShape, paramShape, withScale, 10 * k));
    const names = ['x', 'mean', 'variance', 'offset', 'scale'];
    expected.forEach((want, i) => assertClose(actual[i], want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) }, `${names[i]} for x [${xShape}], params [${paramShape}]`));
  });
});
batchNorm('parameters of the input\'s rank, (1, 1, 1, C), match autodiff of the formula written with elementary ops', () => {
  // tfjs's own gradient fails on this shape (it only reduces for rank-1 parameters), so the reference is
  // y = (x − μ)·γ/√(σ² + ε) + β differentiated op by op.
  const xShape = [2, 3, 3, 2];
  const paramShape = [1, 1, 1, 2];
  const elementary = () =>
    tf.tidy(() => {
      const t = [xShape, paramShape, paramShape, paramShape, paramShape].map((shape, i) => tf.tensor(seededValues(shape, 40 + i), shape));
      t[2] = tf.abs(t[2]).add(0.1);
      const r = tf.tensor(seededValues(xShape, 45), xShape);
      const formula = (...u: tf.Tensor[]) => tf.sum(tf.mul(tf.add(tf.mul(tf.mul(tf.sub(u[0], u[1]), tf.rsqrt(tf.add(u[2], 1e-3))), u[4]), u[3]), r));
      const fused = (...u: tf.Tensor[]) => tf.sum(tf.mul(tf.batchNorm(u[0], u[1], u[2], u[3], u[4], 1e-3), r));
      return [tf.grads(formula)(t), tf.grads(fused)(t)].map((gs) => gs.map((g) => g.dataSync() as Float32Array));
    });
  const [expected, actual] = withGradient(fusedBatchNormGradConfig, elementary);
  expected.forEach((want, i) => assertClose(actual[i], want, { rtol: 1e-4, atol: 1e-5 * maxAbs(want) }, `input ${i}`));
});
batchNorm('a tf.layers batch-norm layer in training mode gets the same weight and input gradients', () => {
  const layerGradients = () =>
    tf.tidy(() => {
      const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
      const x = tf.tensor(seededValues([4, 3, 3, 6], 7), [4, 3, 3, 6]);
      const r = tf.tensor(seededValues([4, 3, 3, 6], 8), [4, 3, 3, 6]);
      layer.build([null, 3, 3, 6]);
      tf.util.assert(layer.trainableWeights.length === 2, () => 'gamma and beta');
      layer.setWeights([tf.tensor(seededValues([6], 9)), tf.tensor(seededValues([6], 10)), tf.zeros([6]), tf.ones([6])]);
      const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, r));
      const dx = tf.grad(f)(x);
      const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
      const out = [dx, ...Object.values(grads)].map((g) => g.dataSync() as Float32Array);
      layer.weights.forEach((w) => w.dispose());
      return out;
    });
  const expected = withGradient(null, layerGradients);
  const actual = withGradient(fusedBatchNormGradConfig, () => withGradient(meanGradConfig, layerGradients));
  expected.forEach((want, i) => assertClose(actual[i], want, { rtol: 1e-3, atol: 1e-5 * maxAbs(want) }, `gradient ${i}`));
});
batchNorm('leaves no tensors behind', async () => {
  await withGradient(fusedBatchNormGradConfig, () => assertNoLeak(() => batchNormGradients([2, 3, 3, 4], [4], true, 3), 2));
});
batchNorm.run();

const mean = suite('meanGradConfig');
mean.before(useCpu);
const meanCases: Array<[number[], number | number[], boolean]> = [
  [[4, 5, 5, 3], [0, 1, 2], false],
  [[4, 5, 5, 3], [0, 1, 2], true],
  [[3, 4], 1, false],
  [[3, 4, 2], [0, 2], true],
  [[5], 0, false],
];
mean("equals tfjs's own Mean gradient for any axes and keepDims", () => {
  for (const [shape, axis, keepDims] of meanCases) {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(seededValues(shape, 2), shape);
        const outShape = tf.mean(x, axis, keepDims).shape;
        const r = tf.tensor(seededValues(outShape, 3), outShape);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), r)))(x).dataSync() as Float32Array;
      });
    assertClose(withGradient(meanGradConfig, run), withGradient(null, run), { rtol: 1e-6, atol: 1e-7 }, `[${shape}] axis ${axis} keepDims ${keepDims}`);
  }
});
mean.run();
