import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { linearProbe, stratifiedSubsample, accuracyVsLabelsPerClass } from '../../lib/probe/linearProbe';
import { gaussianBlobs, matrixOf } from './synthetic';

const separable = {
  train: gaussianBlobs(1, { classes: 5, perClass: 40, dim: 20, separation: 10, noise: 1 }),
  test: gaussianBlobs(2, { classes: 5, perClass: 20, dim: 20, separation: 10, noise: 1 }),
};
const overlapping = {
  train: gaussianBlobs(3, { classes: 4, perClass: 60, dim: 6, separation: 1.5, noise: 1 }),
  test: gaussianBlobs(4, { classes: 4, perClass: 30, dim: 6, separation: 1.5, noise: 1 }),
};

const Probe = suite('linearProbe');

Probe('linearly separable blobs: test accuracy 1, every class 1, diagonal confusion', () => {
  const r = linearProbe(separable.train.matrix, separable.train.labels, separable.test.matrix, separable.test.labels);
  assert.is(r.accuracy, 1);
  assert.is(r.trainAccuracy, 1);
  assert.equal(r.perClassAccuracy, [1, 1, 1, 1, 1]);
  assert.ok(r.converged, r.stopReason);
  assert.equal([r.trainCount, r.testCount, r.numClasses, r.dim, r.l2], [200, 100, 5, 20, 1e-4]);
  r.confusion.forEach((row, t) => row.forEach((v, p) => assert.is(v, t === p ? 20 : 0)));
});

Probe('overlapping blobs: confusion rows sum to class counts; accuracy and per-class accuracy agree with it and with predict', () => {
  const r = linearProbe(overlapping.train.matrix, overlapping.train.labels, overlapping.test.matrix, overlapping.test.labels);
  assert.ok(r.accuracy > 0.4 && r.accuracy < 1, `accuracy ${r.accuracy}`);
  assert.equal(r.confusion.map((row) => row.reduce((a, b) => a + b, 0)), [30, 30, 30, 30]);
  r.perClassAccuracy.forEach((a, c) => assert.is(a, r.confusion[c][c] / 30));
  assert.is(r.accuracy, r.confusion.reduce((a, row, c) => a + row[c], 0) / 120);
  const predictions = r.predict(overlapping.test.matrix);
  const rebuilt = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  predictions.forEach((p, i) => rebuilt[overlapping.test.labels[i]][p]++);
  assert.equal(rebuilt, r.confusion);
  assert.equal(Array.from(r.testPredictions), Array.from(predictions), 'testPredictions are the test rows\' predictions');
});

Probe('deterministic: two runs give identical weights and scores', () => {
  const a = linearProbe(overlapping.train.matrix, overlapping.train.labels, overlapping.test.matrix, overlapping.test.labels);
  const b = linearProbe(overlapping.train.matrix, overlapping.train.labels, overlapping.test.matrix, overlapping.test.labels);
  assert.equal(Array.from(a.model.weights), Array.from(b.model.weights));
  assert.equal(a.confusion, b.confusion);
});

Probe('numClasses covers a class seen only in the test set', () => {
  const r = linearProbe(matrixOf([[0], [1], [0.1], [0.9]]), [0, 1, 0, 1], matrixOf([[0], [5]]), [0, 2]);
  assert.is(r.numClasses, 3);
  assert.equal(r.confusion[2], [0, 1, 0]);
});

Probe('bad input: mismatched dims or lengths, empty sets, one class, NaN', () => {
  const m = matrixOf([[1, 2], [3, 4]]);
  assert.throws(() => linearProbe(m, [0, 1], matrixOf([[1, 2, 3]]), [0]), /train vs test: feature dimensions differ \(2 vs 3\)/);
  assert.throws(() => linearProbe(m, [0, 1], m, [0]), /test labels: 1 labels for 2 feature vectors/);
  assert.throws(() => linearProbe(m, [0, 1], { features: new Float32Array(0), dim: 2, count: 0 }, []), /test features: the set is empty/);
  assert.throws(() => linearProbe(m, [1, 1], m, [0, 1]), /only one class/);
  assert.throws(() => linearProbe(matrixOf([[1, NaN], [3, 4]]), [0, 1], m, [0, 1]), /train features: feature 1 of sample 0 is NaN/);
});

Probe.run();

const Subsample = suite('stratifiedSubsample');

Subsample('exactly k per class, ascending, seeded, nested across k', () => {
  const labels = overlapping.train.labels; // 60 per class
  const take10 = stratifiedSubsample(labels, 10, 7);
  const counts = [0, 0, 0, 0];
  take10.forEach((i) => counts[labels[i]]++);
  assert.equal(counts, [10, 10, 10, 10]);
  assert.equal(Array.from(take10), Array.from(take10).sort((a, b) => a - b));
  assert.is(new Set(take10).size, 40);
  assert.equal(Array.from(stratifiedSubsample(labels, 10, 7)), Array.from(take10));
  assert.not.equal(Array.from(stratifiedSubsample(labels, 10, 8)), Array.from(take10));
  const take30 = new Set(stratifiedSubsample(labels, 30, 7));
  take10.forEach((i) => assert.ok(take30.has(i), `index ${i} of the 10-per-class set is missing from the 30-per-class set`));
});

Subsample('a class with too few samples is an error', () => {
  assert.throws(() => stratifiedSubsample([0, 0, 1], 2, 0), /class 1 has 1 training samples, fewer than the 2 per class requested/);
  assert.throws(() => stratifiedSubsample([0, 1], 0, 0), /perClass must be a positive integer/);
});

Subsample.run();

const Budget = suite('accuracyVsLabelsPerClass');

Budget("per-budget subsets have k per class; 'all' equals the full probe", () => {
  const { train, test } = overlapping;
  const results = accuracyVsLabelsPerClass(train.matrix, train.labels, test.matrix, test.labels, { labelsPerClass: [5, 20, 'all'], seed: 3 });
  assert.equal(results.map((r) => r.labelsPerClass), [5, 20, 'all']);
  for (const { labelsPerClass, trainIndices, result } of results.slice(0, 2)) {
    const counts = [0, 0, 0, 0];
    trainIndices.forEach((i) => counts[train.labels[i]]++);
    assert.equal(counts, Array(4).fill(labelsPerClass));
    assert.is(result.trainCount, 4 * (labelsPerClass as number));
    assert.is(result.testCount, 120);
    assert.equal(Array.from(trainIndices), Array.from(stratifiedSubsample(train.labels, labelsPerClass as number, 3)));
  }
  const full = linearProbe(train.matrix, train.labels, test.matrix, test.labels);
  const all = results[2].result;
  assert.is(all.accuracy, full.accuracy);
  assert.equal(Array.from(all.model.weights), Array.from(full.model.weights));
  assert.is(results[2].trainIndices.length, 240);
  // Seeded: the same call again gives the same subsets and accuracies.
  const again = accuracyVsLabelsPerClass(train.matrix, train.labels, test.matrix, test.labels, { labelsPerClass: [5], seed: 3 });
  assert.equal(Array.from(again[0].trainIndices), Array.from(results[0].trainIndices));
  assert.is(again[0].result.accuracy, results[0].result.accuracy);
});

Budget('a budget larger than a class is an error', () => {
  const { train, test } = overlapping;
  assert.throws(() => accuracyVsLabelsPerClass(train.matrix, train.labels, test.matrix, test.labels, { labelsPerClass: [61] }), /fewer than the 61 per class/);
});

Budget.run();
