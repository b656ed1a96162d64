import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/rng';
import { ImageDataset } from '../../lib/data/dataset';
import { trainTestSplit } from '../../lib/data/split';

/** n 1x1x1 images whose pixel is the image index mod 256, with the given labels. */
function tagged(labels: number[], classCount = 3): ImageDataset {
  const n = labels.length;
  return {
    name: 'tagged',
    images: Uint8Array.from({ length: n }, (_, i) => i % 256),
    shape: [n, 1, 1, 1],
    labels: Int32Array.from(labels),
    classNames: Array.from({ length: classCount }, (_, k) => `c${k}`),
  };
}

const Split = suite('trainTestSplit');

Split('parts are disjoint, complete, sized round(n * fraction), and carry their own pixels and labels', () => {
  const labels = Array.from({ length: 103 }, (_, i) => i % 3);
  const ds = tagged(labels);
  const { train, test, trainIndices, testIndices } = trainTestSplit(ds, { testFraction: 0.25, rng: new Rng(1) });
  assert.is(testIndices.length, Math.round(103 * 0.25));
  assert.is(trainIndices.length + testIndices.length, 103);
  const all = [...trainIndices, ...testIndices].sort((a, b) => a - b);
  assert.equal(all, Array.from({ length: 103 }, (_, i) => i), 'every index exactly once');
  for (const [part, indices] of [[train, trainIndices], [test, testIndices]] as const) {
    assert.equal(part.shape, [indices.length, 1, 1, 1]);
    indices.forEach((i, k) => {
      assert.is(part.images[k], i);
      assert.is(part.labels[k], labels[i]);
      if (k > 0) assert.ok(indices[k - 1] < i, 'ascending');
    });
  }
});

Split('is deterministic under a seed and differs across seeds', () => {
  const ds = tagged(Array.from({ length: 60 }, (_, i) => i % 3));
  const a = trainTestSplit(ds, { testFraction: 0.3, rng: new Rng(9) });
  const b = trainTestSplit(ds, { testFraction: 0.3, rng: new Rng(9) });
  const c = trainTestSplit(ds, { testFraction: 0.3, rng: new Rng(10) });
  assert.equal(Array.from(a.testIndices), Array.from(b.testIndices));
  assert.not.equal(Array.from(a.testIndices), Array.from(c.testIndices));
});

Split('stratified keeps per-label proportions exactly (round per label), unlabeled as its own group', () => {
  // 40 of label 0, 20 of label 1, 10 of label 2, 10 unlabeled
  const labels = [...Array(40).fill(0), ...Array(20).fill(1), ...Array(10).fill(2), ...Array(10).fill(-1)];
  const ds = tagged(labels);
  for (const seed of [1, 2, 3]) {
    const { test, train, trainIndices, testIndices } = trainTestSplit(ds, { testFraction: 0.2, rng: new Rng(seed), stratified: true });
    const count = (arr: Int32Array, label: number) => arr.filter((l) => l === label).length;
    assert.equal([0, 1, 2, -1].map((l) => count(test.labels, l)), [8, 4, 2, 2]);
    assert.equal([0, 1, 2, -1].map((l) => count(train.labels, l)), [32, 16, 8, 8]);
    assert.is(new Set([...trainIndices, ...testIndices]).size, 80);
  }
});

Split('validates its options', () => {
  const ds = tagged([0, 1, 2]);
  for (const testFraction of [0, 1, -0.1, 1.5, NaN]) {
    assert.throws(() => trainTestSplit(ds, { testFraction, rng: new Rng(1) }), /testFraction must be a number strictly between 0 and 1/);
  }
  assert.throws(() => trainTestSplit(ds, { testFraction: 0.5, rng: undefined as any }), /rng must be an Rng/);
});

Split.run();
