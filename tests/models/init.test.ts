import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';
import { heNormalFanOutStd, initializeWeights, torchDefaultBound } from '../../lib/models/init';

function moments(data: Float64Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0, sumSquares = 0, maxAbs = 0;
  for (const v of data) {
    sum += v;
    sumSquares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / data.length;
  return { mean, std: Math.sqrt(sumSquares / data.length - mean * mean), maxAbs };
}

/** conv (3,3,64,128) with bias → dense (128 → 256) → BN, on (N, 4, 4, 64) inputs. */
function probeModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 64], filters: 128, kernelSize: 3, padding: 'same', kernelInitializer: 'zeros' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 256, kernelInitializer: 'zeros' }),
      tf.layers.batchNormalization({}),
    ],
  });
}

const Formulas = suite('heNormalFanOutStd / torchDefaultBound');
Formulas('known values: √(2 / (kh·kw·out)) and 1/√fan_in', () => {
  assertClose(heNormalFanOutStd([3, 3, 16, 32]), Math.sqrt(2 / (9 * 32)));
  assertClose(heNormalFanOutStd([1, 1, 64, 128]), Math.sqrt(2 / 128));
  assertClose(torchDefaultBound(100), 0.1);
  assert.throws(() => heNormalFanOutStd([3, 3]), /conv kernel shape/);
});
Formulas.run();

const Initialize = suite('initializeWeights');
Initialize.before(useCpu);

Initialize('conv kernel ~ untruncated N(0, 2/fan_out); conv bias, dense kernel and bias ~ U(±1/√fan_in); BN reset', () => {
  const model = probeModel();
  initializeWeights(model, { seed: 1 });
  const [conv, , dense, bn] = model.layers;
  const [convKernel, convBias] = conv.getWeights();
  const kernel = moments(values(convKernel));
  const std = Math.sqrt(2 / (3 * 3 * 128)); // fan_out = kh·kw·out
  assertClose(kernel.std, std, { rtol: 0.02 }, 'conv kernel std');
  assertClose(kernel.mean, 0, { atol: 0.02 * std }, 'conv kernel mean');
  // 73,728 normal draws: ~200 lie beyond 3σ; a normal truncated at 2σ (tfjs heNormal) would have none.
  assert.ok(kernel.maxAbs > 3 * std, `largest |w| ${kernel.maxAbs} should exceed 3σ = ${3 * std}`);
  const convBound = 1 / Math.sqrt(3 * 3 * 64);
  const bias = moments(values(convBias));
  assert.ok(bias.maxAbs <= convBound && bias.maxAbs > 0.8 * convBound, `conv bias within ±${convBound}, max ${bias.maxAbs}`);
  const [denseKernel, denseBias] = dense.getWeights();
  const denseBound = 1 / Math.sqrt(128);
  const dk = moments(values(denseKernel));
  assert.ok(dk.maxAbs <= denseBound, `dense kernel within ±${denseBound}, max ${dk.maxAbs}`);
  assertClose(dk.std, denseBound / Math.sqrt(3), { rtol: 0.02 }, 'dense kernel std of U(±b) is b/√3');
  assert.ok(moments(values(denseBias)).maxAbs <= denseBound);
  const [gamma, beta, movingMean, movingVariance] = bn.getWeights();
  assertClose(values(gamma), new Array(256).fill(1));
  assertClose(values(beta), new Array(256).fill(0));
  assertClose(values(movingMean), new Array(256).fill(0));
  assertClose(values(movingVariance), new Array(256).fill(1));
  model.dispose();
});

Initialize('a second call resets BN statistics that training moved', () => {
  const model = probeModel();
  initializeWeights(model, { seed: 1 });
  tf.tidy(() => {
    model.apply(tf.randomUniform([4, 4, 4, 64], 0, 1, 'float32', 3), { training: true });
  });
  const bn = model.layers[3];
  assert.ok(moments(values(bn.getWeights()[2])).maxAbs > 0, 'training moved the moving mean');
  initializeWeights(model, { seed: 1 });
  assertClose(values(bn.getWeights()[2]), new Array(256).fill(0));
  assertClose(values(bn.getWeights()[3]), new Array(256).fill(1));
  model.dispose();
});

Initialize('same seed → same weights; another seed → other weights; layers of one shape get different draws', () => {
  const a = probeModel(), b = probeModel(), c = probeModel();
  initializeWeights(a, { seed: 5 });
  initializeWeights(b, { seed: 5 });
  initializeWeights(c, { seed: 6 });
  // getWeights returns the live variables (no copies): read them, never dispose them.
  const weightsA = a.getWeights(), weightsB = b.getWeights(), weightsC = c.getWeights();
  weightsA.forEach((w, i) => assert.equal(Array.from(w.dataSync()), Array.from(weightsB[i].dataSync()), `weight ${i} differs for the same seed`));
  assert.not.equal(Array.from(weightsA[0].dataSync()), Array.from(weightsC[0].dataSync()));
  const twins = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [8], units: 8, kernelInitializer: 'zeros' }), tf.layers.dense({ units: 8, kernelInitializer: 'zeros' })],
  });
  initializeWeights(twins, { seed: 5 });
  assert.not.equal(Array.from(twins.layers[0].getWeights()[0].dataSync()), Array.from(twins.layers[1].getWeights()[0].dataSync()));
  [a, b, c, twins].forEach((m) => m.dispose());
});

Initialize('refuses layers with weights it has no rule for, and bad seeds', () => {
  const model = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [8, 2], filters: 2, kernelSize: 3 })] });
  assert.throws(() => initializeWeights(model), /no rule for layer .* Conv1D/);
  assert.throws(() => initializeWeights(probeModel(), { seed: 1.5 }), /seed must be an integer, got 1.5/);
  model.dispose();
});

Initialize('leaves no tensors behind', async () => {
  const model = probeModel();
  await assertNoLeak(() => initializeWeights(model, { seed: 2 }));
  model.dispose();
});

Initialize.run();
