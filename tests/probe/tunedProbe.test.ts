import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { linearProbe } from '../../lib/probe/linearProbe';
import { tunedLinearProbe } from '../../lib/probe/tunedProbe';
import { gaussianBlobs } from './synthetic';
import { Rng } from '../../lib/rng';

const Tuned = suite('tunedLinearProbe');

Tuned('picks λ on validation rows only: the test labels cannot change the choice', () => {
  const train = gaussianBlobs(1, { classes: 4, perClass: 30, dim: 40, separation: 1.2, noise: 1 }); // few rows, many dims: λ matters
  const test = gaussianBlobs(2, { classes: 4, perClass: 100, dim: 40, separation: 1.2, noise: 1 });
  const r = tunedLinearProbe(train.matrix, train.labels, test.matrix, test.labels, { l2Grid: [1e-4, 1e-2, 1, 10] });
  assert.is(r.search.length, 4);
  assert.is(r.validationCount, 24);
  const best = Math.max(...r.search.map((s) => s.validationAccuracy));
  const chosen = r.search.filter((s) => s.validationAccuracy === best).map((s) => s.l2);
  assert.is(r.l2, Math.max(...chosen), 'the best validation accuracy, ties to the larger λ');
  const shuffledTest = Int32Array.from(test.labels, (l) => (l + 1) % 4);
  const again = tunedLinearProbe(train.matrix, train.labels, test.matrix, shuffledTest, { l2Grid: [1e-4, 1e-2, 1, 10] });
  assert.is(again.l2, r.l2, 'the test labels play no part in the choice');
  assert.equal(again.search, r.search);
  // The final probe is the plain probe refitted on all training rows at the chosen λ (warm-started, so equal to
  // the solver's tolerance rather than to the bit).
  const plain = linearProbe(train.matrix, train.labels, test.matrix, test.labels, { l2: r.l2 });
  assert.is(r.accuracy, plain.accuracy);
  assert.ok(Math.abs(r.finalLoss - plain.finalLoss) < 1e-8, `${r.finalLoss} vs ${plain.finalLoss}`);
});

Tuned('the regularisation path (strongest λ first, warm starts) finds what fitting each λ from zero finds, in fewer iterations', () => {
  const train = gaussianBlobs(3, { classes: 5, perClass: 80, dim: 30, separation: 1.0, noise: 1 });
  const test = gaussianBlobs(4, { classes: 5, perClass: 100, dim: 30, separation: 1.0, noise: 1 });
  const grid = [1e-4, 1e-1, 1e-3, 1e-2]; // any order: the search is reported in the grid's order
  const r = tunedLinearProbe(train.matrix, train.labels, test.matrix, test.labels, { l2Grid: grid, tolerance: 1e-8 });
  assert.equal(r.search.map((s) => s.l2), grid);
  assert.ok(r.search.every((s) => s.converged));
  // The same split (seed 0, a fifth held out), each λ fitted from zero with linearProbe.
  const cold = tunedLinearProbeFromZero(train, grid);
  grid.forEach((l2, k) => assert.is(r.search[k].validationAccuracy, cold[k].validationAccuracy, `λ ${l2}: same validation accuracy`));
  const warmTotal = r.search.reduce((a, s) => a + s.iterations, 0);
  const coldTotal = cold.reduce((a, s) => a + s.iterations, 0);
  assert.ok(warmTotal < coldTotal, `path ${warmTotal} vs from zero ${coldTotal} iterations`);
});

/** The search of tunedLinearProbe with every λ fitted from zero: the same split rule (Rng(0) permutation, first fifth held out). */
function tunedLinearProbeFromZero(train: ReturnType<typeof gaussianBlobs>, grid: number[]) {
  const order = new Rng(0).permutation(train.matrix.count);
  const held = Math.floor(0.2 * train.matrix.count);
  const pick = (idx: ArrayLike<number>) => {
    const { dim } = train.matrix;
    const features = new Float32Array(idx.length * dim);
    for (let k = 0; k < idx.length; k++) features.set(train.matrix.features.subarray(idx[k] * dim, (idx[k] + 1) * dim), k * dim);
    return { matrix: { features, dim, count: idx.length }, labels: Int32Array.from(idx, (i) => train.labels[i]) };
  };
  const validation = pick(order.subarray(0, held));
  const fit = pick(order.subarray(held));
  return grid.map((l2) => {
    const p = linearProbe(fit.matrix, fit.labels, validation.matrix, validation.labels, { l2, tolerance: 1e-8, numClasses: 5 });
    return { validationAccuracy: p.accuracy, iterations: p.iterations };
  });
}

Tuned('on overlapping blobs with 40 features and 30 rows per class, tuning beats the barely regularised probe on test', () => {
  const train = gaussianBlobs(5, { classes: 4, perClass: 30, dim: 40, separation: 1.0, noise: 1 });
  const test = gaussianBlobs(6, { classes: 4, perClass: 250, dim: 40, separation: 1.0, noise: 1 });
  const tuned = tunedLinearProbe(train.matrix, train.labels, test.matrix, test.labels);
  const loose = linearProbe(train.matrix, train.labels, test.matrix, test.labels, { l2: 1e-4 });
  assert.ok(tuned.l2 > 1e-4, `chose ${tuned.l2}`);
  assert.ok(tuned.accuracy > loose.accuracy, `tuned ${tuned.accuracy} vs λ 1e-4 ${loose.accuracy}`);
});

Tuned('bad options are refused', () => {
  const d = gaussianBlobs(1, { classes: 2, perClass: 5, dim: 3, separation: 2, noise: 1 });
  assert.throws(() => tunedLinearProbe(d.matrix, d.labels, d.matrix, d.labels, { l2Grid: [] }), /l2Grid/);
  assert.throws(() => tunedLinearProbe(d.matrix, d.labels, d.matrix, d.labels, { validationFraction: 1 }), /validationFraction/);
  assert.throws(() => tunedLinearProbe(d.matrix, d.labels, d.matrix, d.labels, { validationFraction: 0.01 }), /leaves one side empty/);
});

Tuned.run();
