import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { adjustBrightness, adjustContrast, adjustSaturation } from '../../lib/views/color';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

// Slow references, straight from torchvision.transforms.functional on float images (_blend clamps to [0, 1]).
type Image = number[][][]; // (H, W, C)
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const luma = (p: number[]) => (p.length === 1 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
const mapPixels = (image: Image, f: (p: number[]) => number[]) => image.map((row) => row.map(f));
const refBrightness = (image: Image, f: number) => mapPixels(image, (p) => p.map((v) => clamp01(f * v)));
function refContrast(image: Image, f: number): Image {
  let sum = 0, count = 0;
  image.forEach((row) => row.forEach((p) => { sum += luma(p); count++; }));
  const mean = sum / count;
  return mapPixels(image, (p) => p.map((v) => clamp01(f * v + (1 - f) * mean)));
}
const refSaturation = (image: Image, f: number) =>
  mapPixels(image, (p) => (p.length === 1 ? p.slice() : p.map((v) => clamp01(f * v + (1 - f) * luma(p)))));

const FACTORS = [0, 0.5, 1, 1.4, 2.5];

function checkAgainstReference(
  name: string,
  op: (images: tf.Tensor4D, factors: number[]) => tf.Tensor4D,
  reference: (image: Image, f: number) => Image,
  channels: number,
) {
  tf.tidy(() => {
    const images = tf.randomUniform([FACTORS.length, 3, 4, channels], 0, 1, 'float32', channels) as tf.Tensor4D;
    const out = op(images, FACTORS).arraySync();
    const x = images.arraySync();
    FACTORS.forEach((f, n) => assertClose(out[n], reference(x[n], f), { atol: 1e-6 }, `${name} factor ${f}`));
  });
}

const AdjustBrightness = suite('adjustBrightness');
AdjustBrightness.before(useCpu);

AdjustBrightness('matches clamp(x f, 0, 1) per image on RGB and grayscale', () => {
  checkAgainstReference('brightness', adjustBrightness, refBrightness, 3);
  checkAgainstReference('brightness', adjustBrightness, refBrightness, 1);
});

AdjustBrightness('factor 1 is the identity, exactly; one number applies to all images', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    assert.equal(values(adjustBrightness(images, 1)), values(images));
    assert.equal(values(adjustBrightness(images, 0)), new Float64Array(75 * 3));
  });
});

AdjustBrightness('rejects negative factors and wrong counts; no leaks', async () => {
  const images = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  assert.throws(() => adjustBrightness(images, [-1, 1]), /adjustBrightness: factors must be >= 0/);
  assert.throws(() => adjustBrightness(images, [1, 1, 1]), /one value per image \(2\), got 3/);
  await assertNoLeak(() => adjustBrightness(images, [0.5, 1.5]).dispose());
  images.dispose();
});

AdjustBrightness.run();

const AdjustContrast = suite('adjustContrast');
AdjustContrast.before(useCpu);

AdjustContrast('matches clamp(f x + (1 - f) mean luma, 0, 1) per image on RGB and grayscale', () => {
  checkAgainstReference('contrast', adjustContrast, refContrast, 3);
  checkAgainstReference('contrast', adjustContrast, refContrast, 1);
});

AdjustContrast('factor 0 gives a flat image at the mean luma; factor 1 is the identity, exactly', () => {
  tf.tidy(() => {
    const images = tf.tensor4d([0, 0, 0, 1, 1, 1], [1, 1, 2, 3]); // black and white: mean luma 0.5
    assertClose(values(adjustContrast(images, 0)), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const random = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    assert.equal(values(adjustContrast(random, 1)), values(random));
  });
});

AdjustContrast.run();

const AdjustSaturation = suite('adjustSaturation');
AdjustSaturation.before(useCpu);

AdjustSaturation('matches clamp(f x + (1 - f) luma(x), 0, 1) per pixel on RGB', () => {
  checkAgainstReference('saturation', adjustSaturation, refSaturation, 3);
});

AdjustSaturation('is a no-op on one channel; factor 1 is the identity, exactly; factor 0 gives gray pixels', () => {
  tf.tidy(() => {
    const gray = tf.randomUniform([2, 3, 3, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    assert.equal(values(adjustSaturation(gray, [0, 2])), values(gray));
    const rgb = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    assert.equal(values(adjustSaturation(rgb, 1)), values(rgb));
    const pixels = adjustSaturation(rgb, 0).arraySync().flat(2);
    pixels.forEach((p) => assertClose([p[1], p[2]], [p[0], p[0]]));
  });
});

AdjustSaturation.run();
