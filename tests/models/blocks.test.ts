import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, batchNorm, conv2d, globalAveragePool, relu } from '../../lib/models/blocks';
import { initializeWeights } from '../../lib/models/init';

/** PyTorch's Conv2d(padding=pad, stride, bias=False) written as loops over an NHWC input and an HWIO kernel. */
function convReference(x: tf.Tensor4D, kernel: tf.Tensor4D, stride: number, pad: number): { data: number[]; shape: number[] } {
  const [n, h, w, c] = x.shape;
  const [k, , , f] = kernel.shape;
  const xs = values(x), ks = values(kernel);
  const outH = Math.floor((h + 2 * pad - k) / stride) + 1, outW = Math.floor((w + 2 * pad - k) / stride) + 1;
  const data: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let o = 0; o < f; o++) {
          let sum = 0;
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++) {
              const y = oy * stride + dy - pad, xx = ox * stride + dx - pad;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              for (let i = 0; i < c; i++) sum += xs[((b * h + y) * w + xx) * c + i] * ks[((dy * k + dx) * c + i) * f + o];
            }
          data.push(sum);
        }
  return { data, shape: [n, outH, outW, f] };
}

function convModel(inputShape: [number, number, number], kernelSize: number, stride: number): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const model = tf.model({ inputs: input, outputs: conv2d(input, { filters: 3, kernelSize, stride, useBias: false, name: `c${kernelSize}s${stride}` }) });
  initializeWeights(model, { seed: 9 });
  return model;
}

const Conv = suite('conv2d');
Conv.before(useCpu);

for (const [size, kernelSize, stride] of [
  [6, 3, 2],
  [7, 3, 2],
  [6, 3, 1],
  [6, 1, 2],
  [5, 1, 1],
] as const) {
  Conv(`${kernelSize}×${kernelSize} stride ${stride} on ${size}×${size} matches PyTorch's padding ${Math.floor(kernelSize / 2)}`, () => {
    const model = convModel([size, size, 2], kernelSize, stride);
    const kernel = model.layers.find((l) => l.getClassName() === 'Conv2D')!.getWeights()[0] as tf.Tensor4D;
    const x = tf.randomUniform([2, size, size, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const y = model.predict(x) as tf.Tensor;
    const expected = convReference(x, kernel, stride, Math.floor(kernelSize / 2));
    assert.equal(y.shape, expected.shape);
    assertClose(values(y), expected.data, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, y]);
    model.dispose();
  });
}

Conv('at stride 2 on an even size, tfjs "same" padding would sample a shifted grid (why conv2d pads explicitly)', () => {
  const model = convModel([6, 6, 2], 3, 2);
  const kernel = model.layers.find((l) => l.getClassName() === 'Conv2D')!.getWeights()[0] as tf.Tensor4D;
  const x = tf.randomUniform([1, 6, 6, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
  const ours = model.predict(x) as tf.Tensor;
  const same = tf.conv2d(x, kernel, 2, 'same');
  assert.equal(same.shape, ours.shape);
  const gap = tf.max(tf.abs(tf.sub(same, ours))).dataSync()[0];
  assert.ok(gap > 1e-3, `expected the two paddings to differ, max gap ${gap}`);
  tf.dispose([x, ours, same]);
  model.dispose();
});

Conv.run();

const BatchNorm = suite('batchNorm');
BatchNorm.before(useCpu);

BatchNorm('uses PyTorch momentum 0.1 (Keras 0.9) and ε = 1e-5; training normalises with batch statistics and updates the moving ones', () => {
  assert.is(BATCH_NORM_MOMENTUM, 0.9);
  assert.is(BATCH_NORM_EPSILON, 1e-5);
  const input = tf.input({ shape: [3] });
  const model = tf.model({ inputs: input, outputs: batchNorm(input, 'bn_probe') });
  const x = tf.tensor2d([[1, 2, 3], [3, 6, 9], [5, 1, -1], [7, 3, 1]]);
  const trained = model.apply(x, { training: true }) as tf.Tensor;
  const xs = x.arraySync();
  const mean = [0, 1, 2].map((j) => xs.reduce((s, r) => s + r[j], 0) / 4);
  const variance = [0, 1, 2].map((j) => xs.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / 4); // biased
  assertClose(values(trained), xs.flatMap((r) => r.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + 1e-5))), { rtol: 1e-4, atol: 1e-5 });
  const [, , movingMean, movingVariance] = model.layers[1].getWeights();
  assertClose(values(movingMean), mean.map((m) => 0.1 * m), { rtol: 1e-5 });
  assertClose(values(movingVariance), variance.map((v) => 0.9 + 0.1 * v), { rtol: 1e-5 });
  const inference = model.apply(x, { training: false }) as tf.Tensor;
  const moving = { mean: values(movingMean), variance: values(movingVariance) };
  assertClose(values(inference), xs.flatMap((r) => r.map((v, j) => (v - moving.mean[j]) / Math.sqrt(moving.variance[j] + 1e-5))), { rtol: 1e-4, atol: 1e-5 });
  tf.dispose([x, trained, inference]);
  model.dispose();
});

BatchNorm.run();

const Pooling = suite('relu / globalAveragePool');
Pooling.before(useCpu);

Pooling('ReLU then global average pool is the mean over H×W of max(x, 0): (N, H, W, C) → (N, C)', () => {
  const input = tf.input({ shape: [2, 3, 2] });
  const model = tf.model({ inputs: input, outputs: globalAveragePool(relu(input, 'r'), 'p') });
  const x = tf.tensor4d([-1, 2, 3, -4, 5, 6, -7, 8, 9, 10, 11, -12], [1, 2, 3, 2]);
  const y = model.predict(x) as tf.Tensor;
  assert.equal(y.shape, [1, 2]);
  assertClose(values(y), [(0 + 3 + 5 + 0 + 9 + 11) / 6, (2 + 0 + 6 + 8 + 10 + 0) / 6]);
  tf.dispose([x, y]);
  model.dispose();
});

Pooling.run();
