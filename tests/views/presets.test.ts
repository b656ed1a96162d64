import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { applyView, defaultViewPipeline, twoViews } from '../../lib/views/pipeline';
import { fashionMnistViews, seedViews, simclrCifarViews } from '../../lib/views/presets';
import { assertClose, useCpu, values } from '../helpers';

const inRange = (t: tf.Tensor) => values(t).every((v) => v >= -1e-6 && v <= 1 + 1e-6);

const SeedViews = suite('seedViews');
SeedViews.before(useCpu);

SeedViews("the seed article's settings: crop to 32 at scale 0.6-1, flip 0.5, nothing else", () => {
  const p = seedViews();
  assert.equal(p.crop, { scale: [0.6, 1], ratio: [3 / 4, 4 / 3], size: 32 });
  assert.is(p.horizontalFlipProbability, 0.5);
  assert.is(p.colorJitter.probability, 0);
  assert.is(p.grayscaleProbability, 0);
  assert.is(p.blur.probability, 0);
  assert.is(p.normalize, null);
  assert.equal(seedViews(24).crop!.size, 24);
});

SeedViews('geometry only: a single-colour image stays exactly that colour; output 32x32 in [0, 1]', () => {
  tf.tidy(() => {
    const flat = tf.mul(tf.ones([4, 40, 40, 3]), tf.tensor1d([0.2, 0.5, 0.9])) as tf.Tensor4D;
    const [a, b] = twoViews(flat, seedViews(), new Rng(1));
    assert.equal(a.shape, [4, 32, 32, 3]);
    assertClose(values(a), values(tf.mul(tf.ones([4, 32, 32, 3]), tf.tensor1d([0.2, 0.5, 0.9]))), { atol: 1e-6 });
    assert.ok(inRange(b));
  });
});

SeedViews.run();

const SimclrCifarViews = suite('simclrCifarViews');
SimclrCifarViews.before(useCpu);

SimclrCifarViews("SimCLR's CIFAR settings, equal to the pipeline defaults plus the output size", () => {
  const p = simclrCifarViews();
  assert.equal(p, { ...defaultViewPipeline, crop: { ...defaultViewPipeline.crop!, size: 32 } });
  assert.equal(p.crop!.scale, [0.08, 1]);
  assert.equal(p.colorJitter, { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, probability: 0.8 });
  assert.is(p.grayscaleProbability, 0.2);
  assert.is(p.blur.probability, 0);
});

SimclrCifarViews('RGB and grayscale batches: shapes and [0, 1] range', () => {
  tf.tidy(() => {
    for (const channels of [3, 1]) {
      const images = tf.randomUniform([8, 32, 32, channels], 0, 1, 'float32', channels) as tf.Tensor4D;
      const view = applyView(images, simclrCifarViews(), new Rng(2));
      assert.equal(view.shape, [8, 32, 32, channels]);
      assert.ok(inRange(view));
    }
  });
});

SimclrCifarViews.run();

const FashionMnistViews = suite('fashionMnistViews');
FashionMnistViews.before(useCpu);

FashionMnistViews('28 px, crop scale 0.4-1, flip, brightness/contrast in 0.6-1.4 with p 0.8, no saturation, hue, grayscale or blur', () => {
  const p = fashionMnistViews();
  assert.equal(p.crop, { scale: [0.4, 1], ratio: [3 / 4, 4 / 3], size: 28 });
  assert.is(p.horizontalFlipProbability, 0.5);
  assert.equal(p.colorJitter, { brightness: 0.4, contrast: 0.4, saturation: 0, hue: 0, probability: 0.8 });
  assert.is(p.grayscaleProbability, 0);
  assert.is(p.blur.probability, 0);
});

FashionMnistViews('runs on (N, 28, 28, 1) batches; two views differ; seeded', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const [a, b] = twoViews(images, fashionMnistViews(), new Rng(4));
    assert.equal(a.shape, [16, 28, 28, 1]);
    assert.ok(inRange(a) && inRange(b));
    assert.not.equal(values(a), values(b));
    assert.equal(values(twoViews(images, fashionMnistViews(), new Rng(4))[0]), values(a));
  });
});

FashionMnistViews.run();
