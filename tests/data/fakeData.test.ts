import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/rng';
import { fakeData, floatToByteLikeTorch } from '../../lib/data/fakeData';
import { labelCounts } from '../../lib/data/dataset';

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, absolute error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const ToByte = suite('floatToByteLikeTorch');

ToByte('matches PyTorch mul(255).byte(): truncation toward zero, then modulo 256', () => {
  // pytorch/vision#1175: to_pil_image of [0.5, 1.5, ..., 8.5] gave [127, 126, ..., 119]
  assert.equal([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5].map((x) => floatToByteLikeTorch(x)), [127, 126, 125, 124, 123, 122, 121, 120, 119]);
  // pytorch/vision#8141: 0.9999 -> 254 (truncation, not rounding)
  assert.is(floatToByteLikeTorch(0.9999), 254);
  assert.equal([0, 1, -0.001, -0.5, -1, 1 / 255].map((x) => floatToByteLikeTorch(x)), [0, 255, 0, 129, 1, 1]);
});

ToByte("'clamp' saturates to 0..255 instead", () => {
  assert.equal([-3, -0.5, 0, 0.5, 0.9999, 1, 1.5, 8.5].map((x) => floatToByteLikeTorch(x, 'clamp')), [0, 0, 0, 127, 254, 255, 255, 255]);
});

ToByte.run();

const Fake = suite('fakeData');

Fake('defaults are the seed article setup: 512 images of 32x32x3, 10 classes', () => {
  const ds = fakeData();
  assert.equal(ds.shape, [512, 32, 32, 3]);
  assert.is(ds.classNames.length, 10);
  assert.ok(ds.labels.every((l) => l >= 0 && l < 10));
});

Fake('image i = the i-th fork of Rng(seed): C*H*W normals in (C, H, W) order, converted, stored NHWC; then the label', () => {
  const ds = fakeData({ size: 6, imageSize: 4, channels: 3, seed: 7 });
  const master = new Rng(7);
  for (let i = 0; i < 6; i++) {
    const rng = master.fork();
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
        assert.is(ds.images[((i * 4 + y) * 4 + x) * 3 + c], floatToByteLikeTorch(rng.normal()), `image ${i} (${y}, ${x}, ${c})`);
      }
    }
    assert.is(ds.labels[i], rng.int(10));
  }
});

Fake('deterministic: same seed same data, other seed differs, a smaller size is a prefix', () => {
  const a = fakeData({ size: 20, seed: 3 });
  assert.equal(Array.from(a.images), Array.from(fakeData({ size: 20, seed: 3 }).images));
  assert.not.equal(Array.from(a.images.subarray(0, 100)), Array.from(fakeData({ size: 20, seed: 4 }).images.subarray(0, 100)));
  const prefix = fakeData({ size: 5, seed: 3 });
  assert.equal(Array.from(prefix.images), Array.from(a.images.subarray(0, prefix.images.length)));
  assert.equal(Array.from(prefix.labels), Array.from(a.labels.subarray(0, 5)));
});

Fake('pixel statistics match the analytic distribution of the converted N(0, 1) noise (wrap and clamp)', () => {
  const wrap = fakeData({ size: 512 });
  const n = wrap.images.length; // 1,572,864 pixels
  // Analytic mean byte under wrap: sum over m of P(trunc(255 x) = m) * (m mod 256)
  let expectedMean = 0;
  let expectedZero = 0;
  for (let m = -2000; m <= 2000; m++) {
    const p = m > 0 ? normalCdf((m + 1) / 255) - normalCdf(m / 255) : m < 0 ? normalCdf(m / 255) - normalCdf((m - 1) / 255) : normalCdf(1 / 255) - normalCdf(-1 / 255);
    const byte = ((m % 256) + 256) % 256;
    expectedMean += p * byte;
    if (byte === 0) expectedZero += p;
  }
  let sum = 0;
  let zeros = 0;
  for (let j = 0; j < n; j++) {
    sum += wrap.images[j];
    if (wrap.images[j] === 0) zeros++;
  }
  // standard error of the mean is about 75 / sqrt(n) = 0.06
  assert.ok(Math.abs(sum / n - expectedMean) < 0.3, `mean ${sum / n} vs analytic ${expectedMean}`);
  assert.ok(Math.abs(zeros / n - expectedZero) < 0.0005, `P(0) ${zeros / n} vs ${expectedZero}`);

  const clamp = fakeData({ size: 512, outOfRange: 'clamp' });
  let low = 0;
  let high = 0;
  for (let j = 0; j < n; j++) {
    if (clamp.images[j] === 0) low++;
    else if (clamp.images[j] === 255) high++;
  }
  // 0 <=> 255 x < 1 <=> x < 1/255;  255 <=> x >= 1. Standard error about 0.0004.
  assert.ok(Math.abs(low / n - normalCdf(1 / 255)) < 0.002, `P(0) ${low / n}`);
  assert.ok(Math.abs(high / n - (1 - normalCdf(1))) < 0.002, `P(255) ${high / n}`);
  assert.equal(Array.from(clamp.labels), Array.from(wrap.labels), 'labels do not depend on the conversion');
});

Fake('labels are uniform over [0, numClasses): every class present, chi-square within the 0.1% bound', () => {
  const ds = fakeData({ size: 5000, imageSize: 1, channels: 1, numClasses: 10, seed: 1 });
  const { counts } = labelCounts(ds);
  const chiSquare = counts.reduce((s, c) => s + (c - 500) ** 2 / 500, 0);
  assert.ok(counts.every((c) => c > 0));
  assert.ok(chiSquare < 27.88, `chi-square ${chiSquare} (df 9, p = 0.001 bound 27.88), counts ${counts}`);
});

Fake('validates options', () => {
  assert.throws(() => fakeData({ size: -1 }), /size must be an integer >= 0, got -1/);
  assert.throws(() => fakeData({ numClasses: 0 }), /numClasses must be an integer >= 1, got 0/);
  assert.throws(() => fakeData({ imageSize: 2.5 }), /imageSize must be an integer >= 1/);
  assert.throws(() => fakeData({ outOfRange: 'mirror' as any }), /outOfRange must be 'wrap' or 'clamp'/);
});

Fake.run();
