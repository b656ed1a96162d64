import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { infoNCE } from '../../lib/losses/infoNCE';
import { Rng } from '../../lib/rng';
import { assertClose, useCpu } from '../helpers';
import { lossValue, registerPairLossChecks } from './pairLossChecks';
import { Matrix, infoNCEReference, randomMatrix } from './reference';

const InfoNCE = suite('infoNCE');
InfoNCE.before(useCpu);

registerPairLossChecks(InfoNCE, 'infoNCE', infoNCE, infoNCEReference);

InfoNCE('all embeddings equal: every candidate ties, loss = log N', () => {
  const rng = new Rng(21);
  for (const [n, d] of [[2, 1], [3, 5], [8, 64], [33, 4]]) for (const temperature of [0.01, 0.05, 0.5, 2]) {
    const row = randomMatrix(rng, 1, d)[0];
    const z = Array.from({ length: n }, () => row);
    assertClose(lossValue(infoNCE, z, z, temperature), Math.log(n), { rtol: 1e-6 }, `N=${n} tau=${temperature}`);
  }
});

InfoNCE('orthogonal, perfectly separated pairs: loss = log(1 + (N - 1) e^(-1/tau)), about 0 at small tau', () => {
  for (const [n, d] of [[2, 2], [4, 6], [8, 8]]) {
    const basis: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, k) => (k === i ? 1 : 0)));
    const scaled = basis.map((row, i) => row.map((v) => v * (i + 1) * 3)); // norms must not matter
    for (const temperature of [2, 0.5, 0.1, 0.05, 0.01]) {
      const expected = Math.log1p((n - 1) * Math.exp(-1 / temperature));
      assertClose(lossValue(infoNCE, basis, scaled, temperature), expected, { rtol: 1e-5, atol: 1e-7 }, `N=${n} tau=${temperature}`);
    }
    assert.ok(lossValue(infoNCE, basis, basis, 0.05) < 1e-7);
  }
});

InfoNCE('same-view negatives are ignored: only cross-view similarities enter (unlike ntXent)', () => {
  // z1 rows all equal (same-view similarity 1), z2 orthogonal: InfoNCE's rows see only z1_i . z2_j.
  const n = 3;
  const z1: Matrix = Array.from({ length: n }, () => [1, 1, 1]);
  const z2: Matrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  assertClose(lossValue(infoNCE, z1, z2, 0.5), infoNCEReference(z1, z2, 0.5), { rtol: 1e-6 });
  // Rows of the logits are constant (1/sqrt 3)/tau: view-1 anchors score log N; view-2 anchors see the same
  // column value for every candidate too, so the whole loss is log N.
  assertClose(lossValue(infoNCE, z1, z2, 0.5), Math.log(n), { rtol: 1e-6 });
});

InfoNCE.run();
