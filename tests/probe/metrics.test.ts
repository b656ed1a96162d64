import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summarizePredictions } from '../../lib/probe/metrics';

const Summary = suite('summarizePredictions');

Summary('hand-counted confusion matrix, accuracy and per-class accuracy (NaN for an absent class)', () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const predicted = [0, 1, 0, 1, 1, 2, 0, 2, 3];
  const s = summarizePredictions(truth, predicted, 4);
  assert.equal(s.confusion, [
    [2, 1, 0, 0],
    [0, 2, 0, 0],
    [1, 0, 2, 1],
    [0, 0, 0, 0],
  ]);
  assert.is(s.accuracy, 6 / 9);
  assert.equal(s.perClassAccuracy.slice(0, 3), [2 / 3, 1, 0.5]);
  assert.ok(Number.isNaN(s.perClassAccuracy[3]));
  assert.is(s.count, 9);
  // Rows sum to the class counts.
  assert.equal(s.confusion.map((row) => row.reduce((a, b) => a + b, 0)), [3, 2, 4, 0]);
});

Summary('rejects mismatched lengths, empty input and out-of-range classes', () => {
  assert.throws(() => summarizePredictions([0, 1], [0], 2), /2 labels but 1 predictions/);
  assert.throws(() => summarizePredictions([], [], 2), /no samples/);
  assert.throws(() => summarizePredictions([0, 2], [0, 1], 2), /sample 1 has label 2/);
});

Summary.run();
