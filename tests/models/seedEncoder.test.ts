import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { seedEncoder } from '../../lib/models/seedEncoder';
import { formulaImages, setFormulaWeights } from './formulaWeights';
import golden from './fixtures/golden.json';

const SeedEncoder = suite('seedEncoder');
SeedEncoder.before(useCpu);

SeedEncoder('(N, 32, 32, 3) → h (N, 32); 3·3·3·32 + 32 = 896 parameters, all trainable', () => {
  const encoder = seedEncoder();
  assert.equal(encoder.outputs[0].shape, [null, 32]);
  assert.is(encoder.countParams(), 3 * 3 * 3 * 32 + 32);
  assert.is(encoder.countParams(), 896);
  assert.is(encoder.nonTrainableWeights.length, 0);
  const x = tf.zeros([2, 32, 32, 3]);
  const h = encoder.predict(x) as tf.Tensor;
  assert.equal(h.shape, [2, 32]);
  tf.dispose([x, h]);
  encoder.dispose();
});

SeedEncoder('h = mean over pixels of ReLU(conv3x3(x, padding 1) + b), checked with loops', () => {
  const encoder = seedEncoder({ inputShape: [5, 4, 2], filters: 3, seed: 3 });
  const [kernel, bias] = encoder.getWeights().map(values);
  const x = tf.randomUniform([2, 5, 4, 2], 0, 1, 'float32', 8) as tf.Tensor4D;
  const xs = values(x);
  const expected: number[] = [];
  for (let n = 0; n < 2; n++)
    for (let f = 0; f < 3; f++) {
      let total = 0;
      for (let y = 0; y < 5; y++)
        for (let xx = 0; xx < 4; xx++) {
          let sum = bias[f];
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const sy = y + dy, sx = xx + dx;
              if (sy < 0 || sy >= 5 || sx < 0 || sx >= 4) continue;
              for (let c = 0; c < 2; c++) sum += xs[((n * 5 + sy) * 4 + sx) * 2 + c] * kernel[(((dy + 1) * 3 + dx + 1) * 2 + c) * 3 + f];
            }
          total += Math.max(sum, 0);
        }
      expected.push(total / 20);
    }
  const h = encoder.predict(x) as tf.Tensor;
  assertClose(values(h), expected, { rtol: 1e-5, atol: 1e-6 });
  tf.dispose([x, h]);
  encoder.dispose();
});

SeedEncoder('matches the PyTorch seed backbone (Conv2d(3, 32, 3, padding=1) + ReLU + AdaptiveAvgPool2d) on shared weights', () => {
  const { input_shape: shape, h: expected } = golden.seed;
  const encoder = seedEncoder({ inputShape: shape.slice(1) as [number, number, number] });
  assert.is(setFormulaWeights(encoder), 2);
  const x = formulaImages(shape as [number, number, number, number]);
  const h = encoder.predict(x) as tf.Tensor;
  assertClose(values(h), expected, { rtol: 1e-4, atol: 1e-5 });
  tf.dispose([x, h]);
  encoder.dispose();
});

SeedEncoder('rejects a malformed inputShape or filters', () => {
  assert.throws(() => seedEncoder({ inputShape: [32, 32] as any }), /inputShape must be \[height, width, channels\], got \[32,32\]/);
  assert.throws(() => seedEncoder({ filters: 0 }), /filters must be a positive integer, got 0/);
});

SeedEncoder.run();
