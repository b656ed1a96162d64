import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { knnPredict, knnClassify, nearestNeighbors } from '../../lib/probe/knn';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';
import { gaussianBlobs, matrixOf } from './synthetic';

// Bank on the unit circle (scaled, to show normalisation): cosines to the query (1, 0) are 1, 0.6, 0, −1.
const bank = matrixOf([[2, 0], [0.6, 0.8], [0, 3], [-1, 0]]);
const bankLabels = [0, 1, 1, 0];
const query = matrixOf([[5, 0]]);

/** Brute-force reference in float64: cosine similarities, stable sort (ties → lower index), weighted vote. */
function referenceKnn(b: typeof bank, labels: ArrayLike<number>, q: typeof bank, k: number, tau: number, C: number): number[] {
  const row = (m: typeof bank, i: number) => Array.from(m.features.subarray(i * m.dim, (i + 1) * m.dim));
  const unit = (v: number[]) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
  return Array.from({ length: q.count }, (_, i) => {
    const qi = unit(row(q, i));
    const sims = Array.from({ length: b.count }, (_, j) => ({ j, s: unit(row(b, j)).reduce((a, v, d) => a + v * qi[d], 0) }));
    sims.sort((x, y) => y.s - x.s || x.j - y.j);
    const scores = new Array(C).fill(0);
    for (const { j, s } of sims.slice(0, k)) scores[labels[j]] += Math.exp(s / tau);
    return scores.indexOf(Math.max(...scores));
  });
}

const Predict = suite('knnPredict');
Predict.before(useCpu);

Predict('hand-computed weights exp(sim/τ): the temperature flips the vote', async () => {
  // k = 3 keeps similarities 1 (class 0), 0.6 and 0 (class 1).
  const sharp = await knnPredict(bank, bankLabels, query, { k: 3, temperature: 0.5 });
  assertClose(sharp.classScores, [Math.exp(2), Math.exp(1.2) + 1], { rtol: 1e-5 }); // 7.39 vs 4.32
  assert.equal(Array.from(sharp.predictions), [0]);
  const soft = await knnPredict(bank, bankLabels, query, { k: 3, temperature: 2 });
  assertClose(soft.classScores, [Math.exp(0.5), Math.exp(0.3) + 1], { rtol: 1e-5 }); // 1.65 vs 2.35
  assert.equal(Array.from(soft.predictions), [1]);
  const nearest = await knnPredict(bank, bankLabels, query, { k: 1, temperature: 2 });
  assert.equal(Array.from(nearest.predictions), [0]);
});

Predict('k larger than the bank uses every bank item (k reported as the bank size)', async () => {
  const r = await knnPredict(bank, bankLabels, query, { temperature: 0.5 }); // default k = 200
  assert.is(r.k, 4);
  assertClose(r.classScores, [Math.exp(2) + Math.exp(-2), Math.exp(1.2) + 1], { rtol: 1e-5 });
});

Predict('equal class scores go to the lower class index', async () => {
  const r = await knnPredict(matrixOf([[1, 0], [1, 0]]), [1, 0], matrixOf([[1, 0]]), { k: 2 });
  assert.equal(Array.from(r.classScores), [r.classScores[1], r.classScores[1]]);
  assert.equal(Array.from(r.predictions), [0]);
});

Predict('matches a brute-force float64 reference on random data, for any batch size, without leaking tensors', async () => {
  const rng = new Rng(9);
  const random = (n: number, d: number) => ({ features: Float32Array.from({ length: n * d }, () => rng.normal()), dim: d, count: n });
  const b = random(60, 8), q = random(25, 8);
  const labels = Int32Array.from({ length: 60 }, () => rng.int(3));
  const expected = referenceKnn(b, labels, q, 7, 0.1, 3);
  for (const batchSize of [1, 4, 512]) {
    const r = await knnPredict(b, labels, q, { k: 7, batchSize });
    assert.equal(Array.from(r.predictions), expected, `batchSize ${batchSize}`);
  }
  await assertNoLeak(() => knnPredict(b, labels, q, { k: 7, batchSize: 4 }));
});

Predict('bad input: k, temperature, dimensions, label lengths, NaN', async () => {
  await assertThrowsAsync(() => knnPredict(bank, bankLabels, query, { k: 0 }), /k must be a positive integer, got 0/);
  await assertThrowsAsync(() => knnPredict(bank, bankLabels, query, { temperature: 0 }), /temperature must be a finite number > 0, got 0/);
  await assertThrowsAsync(() => knnPredict(bank, bankLabels, matrixOf([[1, 2, 3]])), /feature dimensions differ \(3 vs 2\)/);
  await assertThrowsAsync(() => knnPredict(bank, [0, 1], query), /2 labels for 4 feature vectors/);
  await assertThrowsAsync(() => knnPredict(bank, bankLabels, matrixOf([[NaN, 0]])), /queries: feature 0 of sample 0 is NaN/);
  await assertThrowsAsync(() => knnPredict({ features: new Float32Array(0), dim: 2, count: 0 }, [], query), /bank: the set is empty/);
});

Predict.run();

const Classify = suite('knnClassify');
Classify.before(useCpu);

Classify('well-separated blobs: accuracy 1; confusion rows sum to class counts', async () => {
  const train = gaussianBlobs(1, { classes: 4, perClass: 30, dim: 10, separation: 8, noise: 1 });
  const test = gaussianBlobs(2, { classes: 4, perClass: 10, dim: 10, separation: 8, noise: 1 });
  const r = await knnClassify(train.matrix, train.labels, test.matrix, test.labels, { k: 20 });
  assert.is(r.accuracy, 1);
  assert.equal(Array.from(r.predictions), Array.from(test.labels));
  assert.equal(r.confusion.map((row) => row.reduce((a, b) => a + b, 0)), [10, 10, 10, 10]);
  assert.equal([r.k, r.temperature, r.count], [20, 0.1, 40]);
});

Classify('overlapping blobs: accuracy and per-class accuracy agree with the predictions', async () => {
  const train = gaussianBlobs(3, { classes: 3, perClass: 40, dim: 4, separation: 1, noise: 1 });
  const test = gaussianBlobs(4, { classes: 3, perClass: 20, dim: 4, separation: 1, noise: 1 });
  const r = await knnClassify(train.matrix, train.labels, test.matrix, test.labels);
  const correct = r.predictions.reduce((a, p, i) => a + (p === test.labels[i] ? 1 : 0), 0);
  assert.is(r.accuracy, correct / 60);
  r.perClassAccuracy.forEach((a, c) => assert.is(a, r.confusion[c][c] / 20));
  await assertThrowsAsync(() => knnClassify(train.matrix, train.labels, test.matrix, test.labels.subarray(1)), /query labels: 59 labels for 60/);
});

Classify.run();

const Neighbors = suite('nearestNeighbors');
Neighbors.before(useCpu);

Neighbors('each bank item finds itself first with similarity 1; rows sorted by decreasing similarity', async () => {
  const rng = new Rng(4);
  const b = { features: Float32Array.from({ length: 50 * 8 }, () => rng.normal()), dim: 8, count: 50 };
  const r = await nearestNeighbors(b, b, 5);
  assert.is(r.k, 5);
  for (let i = 0; i < 50; i++) {
    assert.is(r.indices[i * 5], i);
    assertClose(r.similarities[i * 5], 1, { atol: 1e-6 });
    for (let j = 1; j < 5; j++) assert.ok(r.similarities[i * 5 + j] <= r.similarities[i * 5 + j - 1]);
  }
  await assertNoLeak(() => nearestNeighbors(b, b, 5, { batchSize: 7 }));
});

Neighbors('known neighbours and similarities; ties ordered by lower bank index; k clipped to the bank size', async () => {
  const r = await nearestNeighbors(query, bank, 10);
  assert.is(r.k, 4);
  assert.equal(Array.from(r.indices), [0, 1, 2, 3]);
  assertClose(r.similarities, [1, 0.6, 0, -1], { atol: 1e-6 });
  const tied = await nearestNeighbors(matrixOf([[1, 0]]), matrixOf([[0, 1], [3, 0], [1, 0], [2, 0]]), 2);
  assert.equal(Array.from(tied.indices), [1, 2]);
});

Neighbors.run();
