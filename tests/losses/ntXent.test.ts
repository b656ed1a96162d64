import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { ntXent, ntXentPositiveIndex } from '../../lib/losses/ntXent';
import { Rng } from '../../lib/rng';
import { assertClose, useCpu } from '../helpers';
import { lossValue, registerPairLossChecks } from './pairLossChecks';
import { Matrix, ntXentReference, randomMatrix } from './reference';

const NTXent = suite('ntXent');
NTXent.before(useCpu);

registerPairLossChecks(NTXent, 'ntXent', ntXent, ntXentReference);

NTXent('all embeddings equal: every candidate ties, loss = log(2N - 1)', () => {
  const rng = new Rng(11);
  for (const [n, d] of [[2, 1], [3, 5], [8, 64], [33, 4]]) for (const temperature of [0.01, 0.05, 0.5, 2]) {
    const row = randomMatrix(rng, 1, d)[0];
    const z = Array.from({ length: n }, () => row);
    assertClose(lossValue(ntXent, z, z, temperature), Math.log(2 * n - 1), { rtol: 1e-6 }, `N=${n} tau=${temperature}`);
  }
});

NTXent('orthogonal, perfectly separated pairs: loss = log(1 + (2N - 2) e^(-1/tau)), about 0 at small tau', () => {
  for (const [n, d] of [[2, 2], [4, 6], [8, 8]]) {
    const basis: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, k) => (k === i ? 1 : 0)));
    const scaled = basis.map((row, i) => row.map((v) => v * (i + 1) * 3)); // norms must not matter
    for (const temperature of [2, 0.5, 0.1, 0.05, 0.01]) {
      const expected = Math.log1p((2 * n - 2) * Math.exp(-1 / temperature));
      assertClose(lossValue(ntXent, basis, scaled, temperature), expected, { rtol: 1e-5, atol: 1e-7 }, `N=${n} tau=${temperature}`);
    }
    assert.ok(lossValue(ntXent, basis, basis, 0.05) < 1e-7);
  }
});

NTXent('antipodal views (z2 = -z1) are worse than any random pairing', () => {
  const z1 = randomMatrix(new Rng(12), 6, 5);
  const z2 = z1.map((row) => row.map((v) => -v));
  const antipodal = lossValue(ntXent, z1, z2, 0.5);
  assert.ok(antipodal > Math.log(2 * 6 - 1), `antipodal loss ${antipodal} should exceed the collapsed value log(11)`);
});

NTXent.run();

const PositiveIndex = suite('ntXentPositiveIndex');
PositiveIndex.before(useCpu);

PositiveIndex('pairs anchor k with k + N (view 1) and k - N (view 2)', () => {
  const index = ntXentPositiveIndex(3);
  assert.equal(Array.from(index.dataSync()), [3, 4, 5, 0, 1, 2]);
  assert.is(index.dtype, 'int32');
  index.dispose();
});

PositiveIndex.run();
