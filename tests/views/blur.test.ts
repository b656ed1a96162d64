import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { defaultGaussianBlur, gaussianBlur, gaussianKernel, randomGaussianBlur, sampleBlurSigmas } from '../../lib/views/blur';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

/** Slow reference: 2-D convolution with the outer product of the taps, reflect padding (torchvision). */
function referenceBlur(image: number[][][], sigma: number, kernelSize: number): number[][][] {
  const taps = gaussianKernel(sigma, kernelSize);
  const half = (kernelSize - 1) / 2;
  const height = image.length, width = image[0].length;
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  return image.map((row, y) => row.map((pixel, x) => pixel.map((_, c) => {
    let sum = 0;
    for (let dy = -half; dy <= half; dy++) for (let dx = -half; dx <= half; dx++) {
      sum += taps[dy + half] * taps[dx + half] * image[reflect(y + dy, height)][reflect(x + dx, width)][c];
    }
    return sum;
  })));
}

const GaussianKernel = suite('gaussianKernel');

GaussianKernel('normalised, symmetric, exp(-x^2 / 2 sigma^2) shaped; null is a centred delta', () => {
  const taps = gaussianKernel(1.5, 7);
  assertClose(taps.reduce((s, v) => s + v, 0), 1, { atol: 1e-12 });
  for (let i = 0; i < 7; i++) assertClose(taps[i], taps[6 - i], { atol: 1e-15 });
  assertClose(taps[4] / taps[3], Math.exp(-1 / (2 * 1.5 * 1.5)), { rtol: 1e-12 });
  assertClose(taps[5] / taps[3], Math.exp(-4 / (2 * 1.5 * 1.5)), { rtol: 1e-12 });
  assert.equal(Array.from(gaussianKernel(null, 5)), [0, 0, 1, 0, 0]);
});

GaussianKernel.run();

const SampleBlurSigmas = suite('sampleBlurSigmas');

SampleBlurSigmas('sigma in range with probability p, null otherwise; validated', () => {
  const sigmas = sampleBlurSigmas(4000, { probability: 0.5, sigma: [0.1, 2], kernelSize: 3 }, new Rng(1));
  const drawn = sigmas.filter((s): s is number => s !== null);
  assert.ok(Math.abs(drawn.length / 4000 - 0.5) < 0.03);
  assert.ok(drawn.every((s) => s >= 0.1 && s <= 2));
  assert.throws(() => sampleBlurSigmas(1, { ...defaultGaussianBlur, kernelSize: 4 }, new Rng(1)), /odd positive integer, got 4/);
  assert.throws(() => sampleBlurSigmas(1, { ...defaultGaussianBlur, sigma: [0, 1] }, new Rng(1)), /blur sigma/);
});

SampleBlurSigmas.run();

const GaussianBlur = suite('gaussianBlur');
GaussianBlur.before(useCpu);

GaussianBlur('matches the slow 2-D reference with reflect padding, per-image sigmas', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 6, 7, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const sigmas = [0.5, 1.3, 2.0];
    for (const kernelSize of [3, 5]) {
      const out = gaussianBlur(images, sigmas, kernelSize).arraySync();
      images.arraySync().forEach((image, n) => assertClose(out[n], referenceBlur(image, sigmas[n], kernelSize), { atol: 1e-6 }, `k ${kernelSize} image ${n}`));
    }
  });
});

GaussianBlur('keeps a constant image; keeps the sum of an impulse away from the border; null sigma is exact identity', () => {
  tf.tidy(() => {
    const constant = tf.fill([2, 8, 8, 3], 0.37) as tf.Tensor4D;
    assertClose(values(gaussianBlur(constant, [1.7, 0.4], 5)), values(constant), { atol: 1e-6 });
    const impulse = tf.buffer([1, 9, 9, 1]);
    impulse.set(1, 0, 4, 4, 0);
    const blurred = gaussianBlur(impulse.toTensor() as tf.Tensor4D, [1.0], 5);
    assertClose(tf.sum(blurred).dataSync()[0], 1, { atol: 1e-6 });
    const taps = gaussianKernel(1.0, 5);
    assertClose(blurred.arraySync()[0][4][3][0], taps[2] * taps[1], { atol: 1e-7 }); // outer product of the taps
    const images = tf.randomUniform([2, 5, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const mixed = tf.unstack(gaussianBlur(images, [null, 1.1], 3));
    assert.equal(values(mixed[0]), values(tf.unstack(images)[0]));
    assert.not.equal(values(mixed[1]), values(tf.unstack(images)[1]));
  });
});

GaussianBlur('validates kernel size against the image and the sigmas', () => {
  tf.tidy(() => {
    const images = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    assert.throws(() => gaussianBlur(images, [1], 7), /kernelSize 7 needs images of at least 4 px per side/);
    assert.throws(() => gaussianBlur(images, [1, 1], 3), /expected 1 sigmas/);
    assert.throws(() => gaussianBlur(images, [-1], 3), /sigmas must be > 0 or null/);
    assert.equal(values(gaussianBlur(images, [1], 1)), values(images));
  });
});

GaussianBlur.run();

const RandomGaussianBlur = suite('randomGaussianBlur');
RandomGaussianBlur.before(useCpu);

RandomGaussianBlur('p = 0 copies; p = 1 equals gaussianBlur with the drawn sigmas; no leaks', async () => {
  const images = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const none = randomGaussianBlur(images, { probability: 0 }, new Rng(1));
  assert.equal(values(none), values(images));
  const options = { probability: 1, sigma: [0.5, 1.5] as [number, number], kernelSize: 3 };
  const all = randomGaussianBlur(images, options, new Rng(2));
  const expected = gaussianBlur(images, sampleBlurSigmas(4, options, new Rng(2)), 3);
  assert.equal(values(all), values(expected));
  tf.dispose([none, all, expected]);
  await assertNoLeak(() => randomGaussianBlur(images, options, new Rng(3)).dispose());
  images.dispose();
});

RandomGaussianBlur.run();
