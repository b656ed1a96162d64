import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ImageDataset, labelCounts } from '../../lib/data/dataset';
import { SHAPE_CLASS_NAMES, shapesDataset } from '../../lib/data/shapes';

/** Grey level in [0, 1] of every pixel of image i (channel mean). */
function grey(ds: ImageDataset, i: number): Float64Array {
  const [, h, w, c] = ds.shape;
  const out = new Float64Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += ds.images[(i * h * w + p) * c + k];
    out[p] = s / c / 255;
  }
  return out;
}

/**
 * A hand-made shape feature: the histogram of gradient orientations over 8 bins of [0, pi) (orientation
 * mod pi, so light-on-dark and dark-on-light agree), weighted by gradient magnitude and normalised to sum 1.
 * Invariant to colour, position and (mostly) size; it sees edges, which is what distinguishes the shapes.
 */
function orientationHistogram(ds: ImageDataset, i: number): number[] {
  const [, h, w] = ds.shape;
  const g = grey(ds, i);
  const bins = new Array(8).fill(0);
  let total = 0;
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    const gx = g[y * w + x + 1] - g[y * w + x - 1];
    const gy = g[(y + 1) * w + x] - g[(y - 1) * w + x];
    const magnitude = Math.hypot(gx, gy);
    if (magnitude < 0.1) continue; // ignore the noise floor
    let angle = Math.atan2(gy, gx);
    if (angle < 0) angle += Math.PI;
    bins[Math.min(7, Math.floor((angle / Math.PI) * 8))] += magnitude;
    total += magnitude;
  }
  return bins.map((b) => b / (total || 1));
}

/** Mean pixel value of image i over all pixels and channels: the 'trivial' feature that should not work. */
const meanPixel = (ds: ImageDataset, i: number) => [grey(ds, i).reduce((a, b) => a + b, 0)];

/** Test accuracy of the nearest-class-mean classifier on standardised features (first nTrain images train it). */
function nearestClassMeanAccuracy(ds: ImageDataset, feature: (ds: ImageDataset, i: number) => number[], nTrain: number): number {
  const n = ds.shape[0];
  const features = Array.from({ length: n }, (_, i) => feature(ds, i));
  const dim = features[0].length;
  const mean = new Array(dim).fill(0);
  const std = new Array(dim).fill(0);
  for (let i = 0; i < nTrain; i++) features[i].forEach((v, d) => (mean[d] += v / nTrain));
  for (let i = 0; i < nTrain; i++) features[i].forEach((v, d) => (std[d] += (v - mean[d]) ** 2 / nTrain));
  const z = features.map((f) => f.map((v, d) => (v - mean[d]) / Math.sqrt(std[d] + 1e-12)));
  const classes = ds.classNames.length;
  const centroids = Array.from({ length: classes }, () => new Array(dim).fill(0));
  const counts = new Array(classes).fill(0);
  for (let i = 0; i < nTrain; i++) {
    counts[ds.labels[i]]++;
    z[i].forEach((v, d) => (centroids[ds.labels[i]][d] += v));
  }
  centroids.forEach((c, k) => c.forEach((_, d) => (c[d] /= counts[k])));
  let correct = 0;
  for (let i = nTrain; i < n; i++) {
    const distances = centroids.map((c) => c.reduce((s, v, d) => s + (z[i][d] - v) ** 2, 0));
    if (distances.indexOf(Math.min(...distances)) === ds.labels[i]) correct++;
  }
  return correct / (n - nTrain);
}

const Shapes = suite('shapesDataset');

Shapes('shape, class names, exact class balance (label = i mod 10), every class present', () => {
  const ds = shapesDataset({ size: 205, seed: 3 });
  assert.equal(ds.shape, [205, 32, 32, 3]);
  assert.equal(ds.classNames, SHAPE_CLASS_NAMES);
  assert.is(ds.classNames.length, 10);
  assert.equal(labelCounts(ds).counts, [21, 21, 21, 21, 21, 20, 20, 20, 20, 20]);
  assert.equal(shapesDataset({ size: 4, imageSize: 16, channels: 1 }).shape, [4, 16, 16, 1]);
});

Shapes('deterministic: same seed same pixels, other seed differs, smaller size is a prefix', () => {
  const a = shapesDataset({ size: 30, seed: 5 });
  assert.equal(Array.from(a.images), Array.from(shapesDataset({ size: 30, seed: 5 }).images));
  assert.not.equal(Array.from(a.images), Array.from(shapesDataset({ size: 30, seed: 6 }).images));
  const prefix = shapesDataset({ size: 7, seed: 5 });
  assert.equal(Array.from(prefix.images), Array.from(a.images.subarray(0, prefix.images.length)));
});

Shapes('classes are learnable from shape (orientation histogram) but not from the mean pixel', () => {
  const ds = shapesDataset({ size: 2000, seed: 1 });
  const fromShape = nearestClassMeanAccuracy(ds, orientationHistogram, 1500);
  const fromMean = nearestClassMeanAccuracy(ds, meanPixel, 1500);
  console.log(`  nearest class mean, 500 test images: orientation histogram ${fromShape.toFixed(3)}, mean pixel ${fromMean.toFixed(3)} (chance 0.1)`);
  assert.ok(fromShape > 0.35, `orientation-histogram accuracy ${fromShape} should be well above chance 0.1`);
  assert.ok(fromMean < 0.2, `mean-pixel accuracy ${fromMean} should be near chance 0.1`);
});

Shapes('nuisances vary within a class: mean colour spread and both polarities (shape lighter or darker)', () => {
  const ds = shapesDataset({ size: 400, seed: 2, noiseStd: 0 });
  const [, h, w] = ds.shape;
  for (let k = 0; k < 10; k++) {
    const means: number[] = [];
    let lighter = 0;
    for (let i = k; i < 400; i += 10) {
      const g = grey(ds, i);
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      means.push(mean);
      // the corner pixel is background; the pixel farthest from it in grey lies on the shape
      const corner = g[0];
      let brightest = 0;
      for (let p = 0; p < h * w; p++) if (Math.abs(g[p] - corner) > Math.abs(brightest)) brightest = g[p] - corner;
      if (brightest > 0) lighter++;
    }
    const average = means.reduce((a, b) => a + b, 0) / means.length;
    const spread = Math.sqrt(means.reduce((s, m) => s + (m - average) ** 2, 0) / means.length);
    assert.ok(spread > 0.1, `class ${SHAPE_CLASS_NAMES[k]}: mean grey spread ${spread}`);
    assert.ok(lighter > 5 && lighter < 35, `class ${SHAPE_CLASS_NAMES[k]}: ${lighter} of 40 lighter than the background`);
  }
});

Shapes('validates options', () => {
  assert.throws(() => shapesDataset({ size: -1 }), /size must be a non-negative integer, got -1/);
  assert.throws(() => shapesDataset({ imageSize: 4 }), /imageSize must be an integer >= 8, got 4/);
  assert.throws(() => shapesDataset({ channels: 2 as any }), /channels must be 1 or 3, got 2/);
  assert.throws(() => shapesDataset({ maxRotationDegrees: 45 }), /maxRotationDegrees must be in \[0, 45\)/);
  assert.throws(() => shapesDataset({ noiseStd: -0.1 }), /noiseStd must be >= 0/);
});

Shapes.run();
