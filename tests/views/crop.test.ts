import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../lib/rng';
import {
  CropBox,
  defaultRandomResizedCrop,
  normalizedCropBoxes,
  outputSize,
  randomResizedCrop,
  resizedCrop,
  sampleCropBox,
  sampleCropBoxes,
} from '../../lib/views/crop';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

/** Slow reference of resizedCrop: bilinear at pixel-centre positions top + (i + 0.5) h / outH - 0.5, clamped to the image. */
function referenceResizedCrop(image: number[][][], box: CropBox, outHeight: number, outWidth: number, flip = false): number[][][] {
  const height = image.length;
  const width = image[0].length;
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const out: number[][][] = [];
  for (let i = 0; i < outHeight; i++) {
    const row: number[][] = [];
    const sy = clamp(box.top + ((i + 0.5) * box.height) / outHeight - 0.5, height - 1);
    for (let j = 0; j < outWidth; j++) {
      const jj = flip ? outWidth - 1 - j : j;
      const sx = clamp(box.left + ((jj + 0.5) * box.width) / outWidth - 0.5, width - 1);
      const y0 = Math.floor(sy), x0 = Math.floor(sx);
      const y1 = Math.min(y0 + 1, height - 1), x1 = Math.min(x0 + 1, width - 1);
      const fy = sy - y0, fx = sx - x0;
      row.push(image[y0][x0].map((_, c) =>
        (1 - fy) * ((1 - fx) * image[y0][x0][c] + fx * image[y0][x1][c]) + fy * ((1 - fx) * image[y1][x0][c] + fx * image[y1][x1][c])));
    }
    out.push(row);
  }
  return out;
}

const box = (top: number, left: number, height: number, width: number): CropBox => ({ top, left, height, width, fallback: false });

const SampleCropBox = suite('sampleCropBox');

SampleCropBox('boxes lie inside the image; area fraction and aspect ratio stay in range (up to pixel rounding)', () => {
  const rng = new Rng(11);
  for (const [height, width, scale, ratio] of [
    [32, 32, [0.08, 1], [3 / 4, 4 / 3]],
    [28, 28, [0.4, 1], [3 / 4, 4 / 3]],
    [20, 40, [0.2, 0.5], [0.5, 2]],
  ] as [number, number, [number, number], [number, number]][]) {
    let fallbacks = 0;
    for (let k = 0; k < 3000; k++) {
      const b = sampleCropBox(height, width, scale, ratio, rng);
      assert.ok(Number.isInteger(b.top) && Number.isInteger(b.left) && Number.isInteger(b.height) && Number.isInteger(b.width));
      assert.ok(b.top >= 0 && b.left >= 0 && b.height >= 1 && b.width >= 1, JSON.stringify(b));
      assert.ok(b.top + b.height <= height && b.left + b.width <= width, JSON.stringify(b));
      if (b.fallback) { fallbacks++; continue; }
      // h and w are rounded from real h0, w0 with h0 w0 = s H W and w0 / h0 = r: bound s and r through the rounding.
      const area = height * width;
      assert.ok((b.height - 0.5) * (b.width - 0.5) <= scale[1] * area + 1e-9, `area too big ${JSON.stringify(b)}`);
      assert.ok((b.height + 0.5) * (b.width + 0.5) >= scale[0] * area - 1e-9, `area too small ${JSON.stringify(b)}`);
      assert.ok((b.width - 0.5) / (b.height + 0.5) <= ratio[1] + 1e-9, `too wide ${JSON.stringify(b)}`);
      assert.ok((b.width + 0.5) / (b.height - 0.5) >= ratio[0] - 1e-9, `too tall ${JSON.stringify(b)}`);
    }
    assert.ok(fallbacks < 30, `fallbacks ${fallbacks} of 3000`);
  }
});

SampleCropBox('area fractions cover the requested range (mean near the middle of the scale range)', () => {
  const rng = new Rng(12);
  const fractions: number[] = [];
  for (let k = 0; k < 4000; k++) {
    const b = sampleCropBox(64, 64, [0.3, 0.7], [1, 1], rng);
    fractions.push((b.height * b.width) / 4096);
  }
  const mean = fractions.reduce((s, v) => s + v, 0) / fractions.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  assert.ok(Math.min(...fractions) < 0.32 && Math.max(...fractions) > 0.68);
});

SampleCropBox('scale (1, 1) and ratio (1, 1) give the whole square image; impossible boxes fall back to a central crop clamped to the ratio', () => {
  assert.equal(sampleCropBox(32, 32, [1, 1], [1, 1], new Rng(1)), box(0, 0, 32, 32));
  // A 10x40 image with ratio fixed at 1: every attempt at scale 1 needs a 20x20 box, which does not fit.
  assert.equal(sampleCropBox(10, 40, [1, 1], [1, 1], new Rng(1)), { top: 0, left: 15, height: 10, width: 10, fallback: true });
  // Too narrow for ratio >= 2: height = round(5 / 2) = 2 with Python's half-to-even rounding (not 3).
  assert.equal(sampleCropBox(10, 5, [1, 1], [2, 3], new Rng(1)), { top: 4, left: 0, height: 2, width: 5, fallback: true });
});

SampleCropBox('is a pure function of the stream', () => {
  const a = new Rng(3), b = new Rng(3);
  for (let k = 0; k < 100; k++) assert.equal(sampleCropBox(32, 32, [0.08, 1], [0.75, 4 / 3], a), sampleCropBox(32, 32, [0.08, 1], [0.75, 4 / 3], b));
});

SampleCropBox.run();

const SampleCropBoxes = suite('sampleCropBoxes');

SampleCropBoxes('one box per image, seeded; options are validated', () => {
  const boxes = sampleCropBoxes(16, 32, 32, defaultRandomResizedCrop, new Rng(4));
  assert.is(boxes.length, 16);
  assert.equal(boxes, sampleCropBoxes(16, 32, 32, defaultRandomResizedCrop, new Rng(4)));
  assert.not.equal(boxes, sampleCropBoxes(16, 32, 32, defaultRandomResizedCrop, new Rng(5)));
  assert.throws(() => sampleCropBoxes(1, 32, 32, { scale: [0.5, 0.2], ratio: [1, 1] }, new Rng(1)), /crop scale must be an interval/);
  assert.throws(() => sampleCropBoxes(1, 32, 32, { scale: [0.5, 1], ratio: [0, 1] }, new Rng(1)), /crop ratio/);
});

SampleCropBoxes.run();

const NormalizedCropBoxes = suite('normalizedCropBoxes');

NormalizedCropBoxes('edges as fractions of the image, all within [0, 1]', () => {
  assertClose(normalizedCropBoxes([box(0, 0, 32, 32), box(4, 8, 8, 16)], 32, 32), [0, 0, 1, 1, 0.125, 0.25, 0.375, 0.75]);
  const many = normalizedCropBoxes(sampleCropBoxes(500, 28, 28, defaultRandomResizedCrop, new Rng(9)), 28, 28);
  assert.ok(many.every((v) => v >= 0 && v <= 1));
});

NormalizedCropBoxes.run();

const OutputSize = suite('outputSize');

OutputSize('a number means a square; pairs are [height, width]; non-integers are rejected', () => {
  assert.equal(outputSize(32, 'f'), [32, 32]);
  assert.equal(outputSize([20, 30], 'f'), [20, 30]);
  assert.throws(() => outputSize(0, 'f'), /positive integer/);
  assert.throws(() => outputSize([2.5, 3], 'f'), /positive integer/);
});

OutputSize.run();

const ResizedCrop = suite('resizedCrop');
ResizedCrop.before(useCpu);

ResizedCrop('matches torch bilinear resize (golden values) where cut-then-resize and our sampling agree', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'torch_resize.json'), 'utf8'));
  const image = tf.tensor4d(fixture.image, fixture.shape);
  for (const c of fixture.cases) {
    const out = resizedCrop(image, [box(c.box[0], c.box[1], c.box[2], c.box[3])], c.size);
    assert.equal(out.shape, [1, c.size[0], c.size[1], 3]);
    assertClose(values(out), c.output, { atol: 2e-6, rtol: 0 }, `box ${c.box} size ${c.size}`);
    out.dispose();
  }
  image.dispose();
});

ResizedCrop('matches the slow reference on random boxes, sizes and flips (upsampling near edges included)', () => {
  tf.tidy(() => {
    const rng = new Rng(21);
    const images = tf.randomUniform([6, 9, 11, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const data = images.arraySync();
    for (const size of [[9, 11], [16, 5], [3, 20]] as [number, number][]) {
      const boxes = sampleCropBoxes(6, 9, 11, defaultRandomResizedCrop, rng);
      boxes[0] = box(0, 0, 2, 3); // strong upsampling at the top-left corner
      boxes[1] = box(7, 8, 2, 3); // and at the bottom-right corner
      const flips = [false, true, false, true, true, false];
      const out = resizedCrop(images, boxes, size, flips).arraySync();
      boxes.forEach((b, n) => assertClose(out[n], referenceResizedCrop(data[n], b, size[0], size[1], flips[n]), { atol: 2e-6 }, `box ${JSON.stringify(b)}`));
    }
  });
});

ResizedCrop('full box at the same size is the identity to float32 rounding of the box (~1e-6)', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const out = resizedCrop(images, new Array(4).fill(box(0, 0, 32, 32)), 32);
    assertClose(values(out), values(images), { atol: 3e-6, rtol: 0 });
  });
});

ResizedCrop('keeps values in [0, 1], works for one channel, rejects boxes outside the image', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const out = resizedCrop(images, sampleCropBoxes(8, 28, 28, defaultRandomResizedCrop, new Rng(2)), 28);
    assert.equal(out.shape, [8, 28, 28, 1]);
    const v = values(out);
    assert.ok(v.every((x) => x >= -1e-6 && x <= 1 + 1e-6));
    assert.throws(() => resizedCrop(images.slice(0, 1), [box(20, 0, 10, 5)], 28), /box 0 .* not inside the 28x28 image/);
    assert.throws(() => resizedCrop(images, [box(0, 0, 5, 5)], 28), /expected 8 boxes/);
  });
});

ResizedCrop.run();

const RandomResizedCrop = suite('randomResizedCrop');
RandomResizedCrop.before(useCpu);

RandomResizedCrop('output size defaults to the input size; seeded; no leaks', async () => {
  const images = tf.randomUniform([4, 20, 24, 3], 0, 1, 'float32', 10) as tf.Tensor4D;
  const a = randomResizedCrop(images, {}, new Rng(1));
  const b = randomResizedCrop(images, {}, new Rng(1));
  const c = randomResizedCrop(images, { size: 12, scale: [0.5, 1] }, new Rng(1));
  assert.equal(a.shape, [4, 20, 24, 3]);
  assert.equal(c.shape, [4, 12, 12, 3]);
  assert.equal(values(a), values(b));
  tf.dispose([a, b, c]);
  await assertNoLeak(() => randomResizedCrop(images, {}, new Rng(2)).dispose());
  images.dispose();
});

RandomResizedCrop.run();
