import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { adjustBrightness, adjustContrast, adjustSaturation } from '../../lib/views/color';
import { adjustHue } from '../../lib/views/hue';
import { applyColorJitter, colorJitter, defaultColorJitter, sampleColorJitter } from '../../lib/views/jitter';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

const SampleColorJitter = suite('sampleColorJitter');

SampleColorJitter('factors lie in [max(0, 1 - s), 1 + s], hue in [-h, h], applied with frequency p', () => {
  const options = { brightness: 0.4, contrast: 1.5, saturation: 0.2, hue: 0.1, probability: 0.8 };
  const p = sampleColorJitter(5000, options, new Rng(1));
  const rate = p.applied.filter((a) => a).length / 5000;
  assert.ok(Math.abs(rate - 0.8) < 0.02, `rate ${rate}`);
  p.applied.forEach((applied, i) => {
    if (!applied) {
      assert.equal([p.brightness[i], p.contrast[i], p.saturation[i], p.hue[i]], [1, 1, 1, 0]);
      return;
    }
    assert.ok(p.brightness[i] >= 0.6 && p.brightness[i] <= 1.4);
    assert.ok(p.contrast[i] >= 0 && p.contrast[i] <= 2.5);
    assert.ok(p.saturation[i] >= 0.8 && p.saturation[i] <= 1.2);
    assert.ok(p.hue[i] >= -0.1 && p.hue[i] <= 0.1);
  });
  const brightness = p.brightness.filter((_, i) => p.applied[i]);
  assert.ok(Math.min(...brightness) < 0.62 && Math.max(...brightness) > 1.38, 'brightness covers its range');
});

SampleColorJitter('zero strengths give identity values; seeded; validated', () => {
  const p = sampleColorJitter(50, { brightness: 0, contrast: 0, saturation: 0, hue: 0, probability: 1 }, new Rng(2));
  assert.ok(p.applied.every((a) => a));
  assert.ok(p.brightness.every((f) => f === 1) && p.hue.every((h) => h === 0));
  assert.equal(sampleColorJitter(20, defaultColorJitter, new Rng(3)), sampleColorJitter(20, defaultColorJitter, new Rng(3)));
  assert.throws(() => sampleColorJitter(1, { ...defaultColorJitter, hue: 0.7 }, new Rng(1)), /hue must be a number in \[0, 0.5\]/);
  assert.throws(() => sampleColorJitter(1, { ...defaultColorJitter, probability: 1.1 }, new Rng(1)), /colour jitter probability/);
});

SampleColorJitter.run();

const ApplyColorJitter = suite('applyColorJitter');
ApplyColorJitter.before(useCpu);

ApplyColorJitter('equals brightness -> contrast -> saturation -> hue applied one after another', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([6, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const p = sampleColorJitter(6, { ...defaultColorJitter, probability: 0.6 }, new Rng(4));
    const out = applyColorJitter(images, p);
    const unstacked = tf.unstack(out);
    tf.unstack(images).forEach((image, n) => {
      let expected = tf.expandDims(image, 0) as tf.Tensor4D;
      expected = adjustHue(adjustSaturation(adjustContrast(adjustBrightness(expected, p.brightness[n]), p.contrast[n]), p.saturation[n]), p.hue[n]);
      if (!p.applied[n]) assert.equal(values(unstacked[n]), values(image), `image ${n} not jittered must be unchanged`);
      else assertClose(values(unstacked[n]), values(expected), { atol: 2e-6 }, `image ${n}`);
    });
  });
});

ApplyColorJitter('one channel: brightness then contrast only', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([4, 5, 5, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const p = sampleColorJitter(4, { ...defaultColorJitter, probability: 1 }, new Rng(5));
    const out = applyColorJitter(images, p);
    const expected = adjustContrast(adjustBrightness(images, p.brightness), p.contrast);
    assertClose(values(out), values(expected), { atol: 1e-6 });
  });
});

ApplyColorJitter.run();

const ColorJitter = suite('colorJitter');
ColorJitter.before(useCpu);

ColorJitter('p = 0 copies exactly; output stays in [0, 1]; seeded; no leaks', async () => {
  const images = tf.randomUniform([16, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const none = colorJitter(images, { probability: 0 }, new Rng(1));
  assert.equal(values(none), values(images));
  const strong = colorJitter(images, { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.5, probability: 1 }, new Rng(2));
  const v = values(strong);
  assert.ok(v.every((x) => x >= 0 && x <= 1 + 1e-6), 'range');
  assert.ok(Math.abs(v.reduce((s, x) => s + x, 0) / v.length - 0.5) < 0.2);
  const again = colorJitter(images, { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.5, probability: 1 }, new Rng(2));
  assert.equal(values(again), v);
  const other = colorJitter(images, { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.5, probability: 1 }, new Rng(3));
  assert.not.equal(values(other), v);
  tf.dispose([none, strong, again, other]);
  await assertNoLeak(() => colorJitter(images, {}, new Rng(4)).dispose());
  images.dispose();
});

ColorJitter.run();
