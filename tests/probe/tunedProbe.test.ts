import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { linearProbe } from '../../lib/probe/linearProbe';
import { tunedLinearProbe } from '../../lib/probe/tunedProbe';
import { gaussianBlobs } from './synthetic';

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
  // The final probe is exactly the plain probe refitted on all training rows at the chosen λ.
  const plain = linearProbe(train.matrix, train.labels, test.matrix, test.labels, { l2: r.l2 });
  assert.is(r.accuracy, plain.accuracy);
  assert.is(r.finalLoss, plain.finalLoss);
});

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
