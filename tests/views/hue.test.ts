import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { adjustHue, channelPlanes, hsvToRgb, interleavePlanes, rgbToHsv, rgbToHsvPlanes } from '../../lib/views/hue';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

// Slow references: the textbook HSV hexcone (as Python's colorsys), one pixel at a time.
function refRgbToHsv([r, g, b]: number[]): number[] {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), chroma = max - min;
  if (chroma === 0) return [0, 0, max];
  let h: number;
  if (max === r) h = (g - b) / chroma;
  else if (max === g) h = 2 + (b - r) / chroma;
  else h = 4 + (r - g) / chroma;
  return [(((h / 6) % 1) + 1) % 1, chroma / max, max];
}
function refHsvToRgb([h, s, v]: number[]): number[] {
  const i = Math.floor(h * 6) % 6, f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  return [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][i];
}
const refHue = (pixel: number[], shift: number) => {
  const [h, s, v] = refRgbToHsv(pixel);
  return refHsvToRgb([(((h + shift) % 1) + 1) % 1, s, v]);
};

const pixelBatch = (pixels: number[][]) => tf.tensor4d(pixels.flat(), [pixels.length, 1, 1, 3]);

const RgbToHsv = suite('rgbToHsv');
RgbToHsv.before(useCpu);

RgbToHsv('known colours and the slow reference on random pixels', () => {
  tf.tidy(() => {
    const known = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0.5, 0.5, 0.5], [0, 0, 0], [1, 0.6, 0]];
    assertClose(values(rgbToHsv(pixelBatch(known))), [0, 1, 1, 1 / 3, 1, 1, 2 / 3, 1, 1, 1 / 6, 1, 1, 0, 0, 0.5, 0, 0, 0, 0.1, 1, 1], { atol: 1e-6 });
    const random = tf.randomUniform([2, 5, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const out = rgbToHsv(random).arraySync().flat(2);
    random.arraySync().flat(2).forEach((p, i) => assertClose(out[i], refRgbToHsv(p), { atol: 2e-6 }, `pixel ${p}`));
    assert.throws(() => rgbToHsv(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D), /expected 3 channels/);
  });
});

RgbToHsv.run();

const HsvToRgb = suite('hsvToRgb');
HsvToRgb.before(useCpu);

HsvToRgb('the slow reference on random HSV, and the inverse of rgbToHsv', () => {
  tf.tidy(() => {
    const hsv = tf.randomUniform([2, 5, 6, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const out = hsvToRgb(hsv).arraySync().flat(2);
    hsv.arraySync().flat(2).forEach((p, i) => assertClose(out[i], refHsvToRgb(p), { atol: 2e-6 }, `hsv ${p}`));
    const rgb = tf.randomUniform([2, 5, 6, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    assertClose(values(hsvToRgb(rgbToHsv(rgb))), values(rgb), { atol: 2e-6 });
  });
});

HsvToRgb.run();

const AdjustHue = suite('adjustHue');
AdjustHue.before(useCpu);

AdjustHue('pure red: +1/3 turn is green, -1/3 blue, +0.1 orange (1, 0.6, 0), -0.1 (1, 0, 0.6), 0.5 cyan', () => {
  tf.tidy(() => {
    const red = pixelBatch([[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]);
    const out = adjustHue(red, [1 / 3, -1 / 3, 0.1, -0.1, 0.5]);
    assertClose(values(out), [0, 1, 0, 0, 0, 1, 1, 0.6, 0, 1, 0, 0.6, 0, 1, 1], { atol: 1e-6 });
  });
});

AdjustHue('shift 0 copies exactly, a tiny shift is the identity to ~1e-6; gray pixels never change; one channel is a no-op', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    assert.equal(values(adjustHue(images, 0)), values(images));
    const mixed = tf.unstack(adjustHue(images, [0, 1e-9, 0]));
    assert.equal(values(mixed[0]), values(tf.unstack(images)[0]));
    assertClose(values(mixed[1]), values(tf.unstack(images)[1]), { atol: 1e-6 }); // the HSV round trip
    const grays = pixelBatch([[0.3, 0.3, 0.3], [0, 0, 0], [1, 1, 1]]);
    assertClose(values(adjustHue(grays, [0.2, -0.4, 0.5])), values(grays), { atol: 1e-7 });
    const single = tf.randomUniform([2, 3, 3, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    assert.equal(values(adjustHue(single, [0.3, -0.2])), values(single));
  });
});

AdjustHue('per-image shifts match the slow reference; value and saturation are kept', () => {
  tf.tidy(() => {
    const shifts = [-0.5, -0.23, 0.07, 0.31, 0.5];
    const images = tf.randomUniform([5, 4, 4, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const out = adjustHue(images, shifts).arraySync();
    images.arraySync().forEach((image, n) => image.flat().forEach((p, i) => {
      const got = out[n].flat()[i];
      assertClose(got, refHue(p, shifts[n]), { atol: 2e-6 }, `image ${n} pixel ${p}`);
      assertClose([Math.max(...got), Math.max(...got) - Math.min(...got)], [Math.max(...p), Math.max(...p) - Math.min(...p)], { atol: 2e-6 });
    }));
  });
});

AdjustHue('rejects shifts outside [-0.5, 0.5]; no leaks', async () => {
  const images = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  assert.throws(() => adjustHue(images, [0.6, 0]), /hue shifts must be in \[-0.5, 0.5\]/);
  await assertNoLeak(() => adjustHue(images, [0.1, -0.2]).dispose());
  images.dispose();
});

AdjustHue.run();

const Planes = suite('channelPlanes, interleavePlanes, rgbToHsvPlanes');
Planes.before(useCpu);

Planes('channel planes hold each channel in (n, y, x) order; interleaving them is the exact inverse', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 4, 5, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const planes = channelPlanes(images);
    const x = images.arraySync();
    planes.forEach((plane, c) => {
      assert.equal(plane.shape, [3 * 4 * 5]);
      assert.is(plane.arraySync()[2 * 20 + 3 * 5 + 1], x[2][3][1][c]);
    });
    assert.equal(values(interleavePlanes(planes, images.shape)), values(images));
    const hsv = rgbToHsvPlanes(images);
    assert.equal(values(interleavePlanes([hsv.hue, hsv.saturation, hsv.value], images.shape)), values(rgbToHsv(images)));
  });
});

Planes.run();
