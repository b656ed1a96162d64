import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fitStandardizer, applyStandardizer, standardizeTrainTest, rawPixelFeatures } from '../../lib/probe/standardize';
import { assertClose } from '../helpers';
import { gaussianBlobs, matrixOf } from './synthetic';

const Fit = suite('fitStandardizer');

Fit('hand-computed mean and population std; a constant feature gets std 1', () => {
  const s = fitStandardizer(matrixOf([[1, 10, 5], [3, 10, 5], [5, 10, 5], [7, 10, 5]]));
  assertClose(s.mean, [4, 10, 5]);
  assertClose(s.std, [Math.sqrt(5), 1, 1]); // deviations ±1, ±3 → variance (1+9+1+9)/4 = 5
  assert.is(s.dim, 3);
});

Fit('keeps precision for a large offset (two-pass, float64)', () => {
  const s = fitStandardizer(matrixOf([[1e6 + 1], [1e6 - 1]]));
  assertClose(s.mean, [1e6]);
  assertClose(s.std, [1], { rtol: 1e-6 });
});

Fit.run();

const Apply = suite('applyStandardizer');

Apply('training features come out with mean 0 and std 1 per feature; the input is not changed', () => {
  const { matrix } = gaussianBlobs(2, { classes: 3, perClass: 20, dim: 4, separation: 5, noise: 2 });
  const before = Float32Array.from(matrix.features);
  const out = applyStandardizer(fitStandardizer(matrix), matrix);
  assert.equal(Array.from(matrix.features), Array.from(before));
  const refit = fitStandardizer(out);
  assertClose(refit.mean, [0, 0, 0, 0], { atol: 1e-6 });
  assertClose(refit.std, [1, 1, 1, 1], { rtol: 1e-6 });
});

Apply('rejects a dimension mismatch', () => {
  const s = fitStandardizer(matrixOf([[1, 2], [3, 4]]));
  assert.throws(() => applyStandardizer(s, matrixOf([[1, 2, 3]])), /fitted on D = 2, features have D = 3/);
});

Apply.run();

const TrainTest = suite('standardizeTrainTest');

TrainTest('the test set is transformed with training statistics only', () => {
  const { train, test, standardizer } = standardizeTrainTest(matrixOf([[0], [2]]), matrixOf([[1], [3], [100]]));
  assertClose(standardizer.mean, [1]);
  assertClose(standardizer.std, [1]);
  assertClose(train.features, [-1, 1]);
  assertClose(test.features, [0, 2, 99]);
  assert.is(test.count, 3);
});

TrainTest('rejects an empty or NaN set', () => {
  assert.throws(() => standardizeTrainTest({ features: new Float32Array(0), dim: 1, count: 0 }, matrixOf([[1]])), /empty/);
  assert.throws(() => standardizeTrainTest(matrixOf([[1], [2]]), matrixOf([[NaN]])), /applyStandardizer: feature 0 of sample 0 is NaN/);
});

TrainTest.run();

const RawPixels = suite('rawPixelFeatures');

RawPixels('pixels / 255, flattened in NHWC order, D = H·W·C', () => {
  const images = Uint8Array.from({ length: 2 * 2 * 3 * 2 }, (_, k) => (k * 11) % 256);
  const m = rawPixelFeatures({ images, shape: [2, 2, 3, 2] });
  assert.is(m.dim, 12);
  assert.is(m.count, 2);
  assertClose(m.features, Array.from(images, (v) => v / 255));
  assert.is(m.features[0], 0);
  assert.is(rawPixelFeatures({ images: Uint8Array.from([255]), shape: [1, 1, 1, 1] }).features[0], 1);
});

RawPixels('rejects a size mismatch, an empty set and a non-uint8 buffer', () => {
  assert.throws(() => rawPixelFeatures({ images: new Uint8Array(5), shape: [2, 1, 1, 3] }), /5 bytes, shape 2x1x1x3 needs 6/);
  assert.throws(() => rawPixelFeatures({ images: new Uint8Array(0), shape: [0, 28, 28, 1] }), /empty/);
  assert.throws(() => rawPixelFeatures({ images: new Float32Array(1) as any, shape: [1, 1, 1, 1] }), /Uint8Array/);
});

RawPixels.run();
