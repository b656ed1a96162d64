import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { resizedCrop, sampleCropBoxes } from '../../lib/views/crop';
import { applyView, defaultViewPipeline, resolveViewPipeline, twoViews, ViewPipelineOptions } from '../../lib/views/pipeline';
import { simclrCifarViews } from '../../lib/views/presets';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

/** Every stage off except a crop that keeps the whole image. */
const IDENTITY: ViewPipelineOptions = {
  crop: { scale: [1, 1], ratio: [1, 1] },
  horizontalFlipProbability: 0,
  colorJitter: { probability: 0 },
  grayscaleProbability: 0,
  blur: { probability: 0 },
  normalize: null,
};

const inRange = (t: tf.Tensor) => values(t).every((v) => v >= -1e-6 && v <= 1 + 1e-6);

const ResolveViewPipeline = suite('resolveViewPipeline');

ResolveViewPipeline('defaults are SimCLR CIFAR-10; partial stage options merge over them; null switches crop off', () => {
  const d = resolveViewPipeline();
  assert.equal(d, defaultViewPipeline);
  assert.equal(d.crop, { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] });
  assert.is(d.horizontalFlipProbability, 0.5);
  assert.equal(d.colorJitter, { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, probability: 0.8 });
  assert.is(d.grayscaleProbability, 0.2);
  assert.is(d.blur.probability, 0);
  assert.is(d.normalize, null);
  const merged = resolveViewPipeline({ crop: { size: 24 }, colorJitter: { hue: 0 }, blur: { probability: 0.5 } });
  assert.equal(merged.crop, { scale: [0.08, 1], ratio: [3 / 4, 4 / 3], size: 24 });
  assert.equal(merged.colorJitter, { ...d.colorJitter, hue: 0 });
  assert.equal(merged.blur, { ...d.blur, probability: 0.5 });
  assert.is(resolveViewPipeline({ crop: null }).crop, null);
});

ResolveViewPipeline('every stage is validated once, with the field named', () => {
  assert.throws(() => resolveViewPipeline({ horizontalFlipProbability: 2 }), /resolveViewPipeline: horizontalFlipProbability must be a probability/);
  assert.throws(() => resolveViewPipeline({ crop: { scale: [0.5, 0.1] } }), /crop scale/);
  assert.throws(() => resolveViewPipeline({ crop: { size: -3 } }), /size must be a positive integer/);
  assert.throws(() => resolveViewPipeline({ colorJitter: { brightness: -1 } }), /brightness/);
  assert.throws(() => resolveViewPipeline({ grayscaleProbability: -0.1 }), /grayscaleProbability/);
  assert.throws(() => resolveViewPipeline({ blur: { kernelSize: 2 } }), /kernelSize must be an odd/);
});

ResolveViewPipeline.run();

const ApplyView = suite('applyView');
ApplyView.before(useCpu);

ApplyView('all probabilities 0 and a whole-image crop give the input back (~1e-6); crop off gives it exactly', () => {
  tf.tidy(() => {
    for (const channels of [1, 3]) {
      const images = tf.randomUniform([5, 12, 12, channels], 0, 1, 'float32', channels) as tf.Tensor4D;
      assertClose(values(applyView(images, IDENTITY, new Rng(1))), values(images), { atol: 3e-6, rtol: 0 });
      assert.equal(values(applyView(images, { ...IDENTITY, crop: null }, new Rng(1))), values(images));
    }
  });
});

ApplyView('shapes: crop size sets the output size; values stay in [0, 1] before normalisation', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([8, 20, 16, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const strong: ViewPipelineOptions = { blur: { probability: 0.5, kernelSize: 3 }, colorJitter: { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2 } };
    const same = applyView(images, strong, new Rng(3));
    assert.equal(same.shape, [8, 20, 16, 3]);
    assert.ok(inRange(same));
    const resized = applyView(images, { ...strong, crop: { size: [10, 14] } }, new Rng(3));
    assert.equal(resized.shape, [8, 10, 14, 3]);
    assert.ok(inRange(resized));
  });
});

ApplyView('seeded: same seed same view, different seeds differ; the stream advances between calls', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const a = values(applyView(images, {}, new Rng(7)));
    assert.equal(values(applyView(images, {}, new Rng(7))), a);
    assert.not.equal(values(applyView(images, {}, new Rng(8))), a);
    const rng = new Rng(7);
    applyView(images, {}, rng);
    assert.not.equal(values(applyView(images, {}, rng)), a);
  });
});

ApplyView('crop then flip: the same as resizedCrop with the sampled boxes and flips (flip folded into the crop)', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([6, 10, 10, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const pipeline = { ...IDENTITY, crop: { scale: [0.3, 1] as [number, number], size: 8 }, horizontalFlipProbability: 0.5 };
    const out = applyView(images, pipeline, new Rng(9));
    const rng = new Rng(9);
    const boxes = sampleCropBoxes(6, 10, 10, { scale: [0.3, 1], ratio: [3 / 4, 4 / 3] }, rng);
    const flips = Array.from({ length: 6 }, () => rng.bernoulli(0.5));
    assert.equal(values(out), values(resizedCrop(images, boxes, 8, flips)));
  });
});

ApplyView('grayscale input (C = 1) goes through the full SimCLR pipeline with blur and normalisation', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([6, 14, 14, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const pipeline = { ...simclrCifarViews(14), blur: { probability: 0.5 }, grayscaleProbability: 1 };
    const out = applyView(images, pipeline, new Rng(1));
    assert.equal(out.shape, [6, 14, 14, 1]);
    assert.ok(inRange(out));
    const normalized = applyView(images, { ...pipeline, normalize: { mean: [0.5], std: [0.25] } }, new Rng(1));
    assertClose(values(normalized), values(out).map((v) => (v - 0.5) / 0.25), { atol: 1e-5 });
    assert.throws(() => applyView(images, { normalize: { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } }, new Rng(1)), /applyView: normalize.mean must hold one finite number per channel \(1\)/);
  });
});

ApplyView('jitter acts: with p 1 the per-image means move; with grayscale p 1 RGB channels are equal', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([8, 8, 8, 3], 0.2, 0.8, 'float32', 7) as tf.Tensor4D;
    const jittered = applyView(images, { ...IDENTITY, crop: null, colorJitter: { probability: 1 } }, new Rng(2));
    const shift = tf.abs(tf.sub(tf.mean(jittered, [1, 2, 3]), tf.mean(images, [1, 2, 3])));
    assert.ok(tf.min(shift).dataSync()[0] > 1e-4);
    const gray = applyView(images, { grayscaleProbability: 1 }, new Rng(3));
    const [r, g, b] = tf.split(gray, 3, 3);
    assert.equal(values(r), values(g));
    assert.equal(values(g), values(b));
  });
});

ApplyView.run();

const TwoViews = suite('twoViews');
TwoViews.before(useCpu);

TwoViews('two independent draws: equal to two applyView calls on the same stream, and different from each other', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const [first, second] = twoViews(images, {}, new Rng(5));
    const rng = new Rng(5);
    assert.equal(values(first), values(applyView(images, {}, rng)));
    assert.equal(values(second), values(applyView(images, {}, rng)));
    assert.not.equal(values(first), values(second));
    const [again] = twoViews(images, {}, new Rng(5));
    assert.equal(values(again), values(first));
  });
});

TwoViews('no tensor leaks, every stage on, RGB and grayscale; the input is not disposed', async () => {
  const everything: ViewPipelineOptions = { blur: { probability: 0.5 }, normalize: null, grayscaleProbability: 0.5, colorJitter: { probability: 0.9 } };
  for (const channels of [3, 1]) {
    const images = tf.randomUniform([16, 16, 16, channels], 0, 1, 'float32', 9) as tf.Tensor4D;
    const rng = new Rng(1);
    await assertNoLeak(() => tf.dispose(twoViews(images, everything, rng)), 2);
    await assertNoLeak(() => tf.dispose(twoViews(images, { ...everything, crop: null, normalize: { mean: new Array(channels).fill(0.5), std: new Array(channels).fill(0.2) } }, rng)), 2);
    assert.ok(!images.isDisposed);
    images.dispose();
  }
});

TwoViews('time of one call on a (128, 32, 32, 3) batch with simclrCifarViews is printed', async () => {
  const images = tf.randomUniform([128, 32, 32, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
  const rng = new Rng(1);
  const pipeline = simclrCifarViews(32);
  tf.dispose(twoViews(images, pipeline, rng)); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const views = twoViews(images, pipeline, rng);
    await views[1].data();
    times.push(performance.now() - start);
    tf.dispose(views);
  }
  times.sort((a, b) => a - b);
  console.log(`\n  twoViews(128x32x32x3, simclrCifarViews) on ${tf.getBackend()}: median ${times[1].toFixed(0)} ms (not asserted)`);
  images.dispose();
});

TwoViews.run();
