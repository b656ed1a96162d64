import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { validateFeatureMatrix, validateLabels, checkSameDim } from '../../lib/probe/validate';
import { matrixOf } from './synthetic';

const FeatureChecks = suite('validateFeatureMatrix');

FeatureChecks('accepts a well-formed matrix', () => {
  validateFeatureMatrix(matrixOf([[1, 2], [3, 4], [5, 6]]), 'x');
});

FeatureChecks('rejects a wrong type, a size mismatch, an empty set and non-finite values, saying where', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /x: expected \{features: Float32Array/],
    [{ features: [1, 2], dim: 2, count: 1 }, /got Array/],
    [{ features: new Float64Array(2), dim: 2, count: 1 }, /got Float64Array/],
    [{ features: new Float32Array(5), dim: 2, count: 3 }, /5 values, but count 3 × dim 2 = 6/],
    [{ features: new Float32Array(0), dim: 4, count: 0 }, /empty/],
    [{ features: new Float32Array(2), dim: 0, count: 2 }, /dim must be a positive integer, got 0/],
    [matrixOf([[1, 2], [3, NaN]]), /feature 1 of sample 1 is NaN/],
    [matrixOf([[Infinity, 2]]), /feature 0 of sample 0 is Infinity/],
  ];
  for (const [input, pattern] of cases) assert.throws(() => validateFeatureMatrix(input as any, 'x'), pattern);
});

FeatureChecks.run();

const LabelChecks = suite('validateLabels');

LabelChecks('returns max label + 1', () => {
  assert.is(validateLabels(Int32Array.from([0, 3, 1]), 3, 'y'), 4);
  assert.is(validateLabels([2, 2], 2, 'y', 5), 3);
});

LabelChecks('rejects length mismatch, negative (unlabeled), fractional and out-of-range labels', () => {
  assert.throws(() => validateLabels([0, 1], 3, 'y'), /y: 2 labels for 3 feature vectors/);
  assert.throws(() => validateLabels([0, -1], 2, 'y'), /label -1 of sample 1 is not a class index/);
  assert.throws(() => validateLabels([0.5], 1, 'y'), /label 0.5/);
  assert.throws(() => validateLabels([0, 3], 2, 'y', 3), /label 3 of sample 1 is outside \[0, 3\)/);
  assert.throws(() => validateLabels(undefined as any, 2, 'y'), /expected an array of labels/);
});

LabelChecks.run();

const DimChecks = suite('checkSameDim');

DimChecks('throws on different dimensions only', () => {
  checkSameDim(matrixOf([[1, 2]]), matrixOf([[3, 4], [5, 6]]), 'a vs b');
  assert.throws(() => checkSameDim(matrixOf([[1, 2]]), matrixOf([[1, 2, 3]]), 'a vs b'), /a vs b: feature dimensions differ \(2 vs 3\)/);
});

DimChecks.run();
