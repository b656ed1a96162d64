import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { lossLandmarks, simplexLoss } from '../../lib/workbook/lossLandmarks';
import { infoNCE } from '../../lib/losses/infoNCE';
import { ntXent } from '../../lib/losses/ntXent';
import { assertClose, assertNoLeak, useCpu } from '../helpers';

/** N unit vectors at the vertices of a regular simplex, in D = N dimensions: e_i minus the centroid, normalised. */
function simplexEmbedding(n: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(tf.eye(n), 1 / n) as tf.Tensor2D);
}

const Simplex = suite('simplexLoss');
Simplex.before(useCpu);

Simplex('equals the library losses on an explicit regular simplex with coinciding views', () => {
  for (const n of [2, 5, 12]) {
    for (const t of [0.1, 0.5, 1]) {
      const z = simplexEmbedding(n);
      const measuredInfo = infoNCE(z, z, { temperature: t });
      const measuredNt = ntXent(z, z, { temperature: t });
      assertClose(simplexLoss(n, t, 'infoNCE'), measuredInfo.dataSync()[0], { rtol: 1e-4, atol: 1e-5 }, `infoNCE n ${n} τ ${t}`);
      assertClose(simplexLoss(n, t, 'ntXent'), measuredNt.dataSync()[0], { rtol: 1e-4, atol: 1e-5 }, `ntXent n ${n} τ ${t}`);
      tf.dispose([z, measuredInfo, measuredNt]);
    }
  }
});

Simplex('known values: N = 2 antipodal pair; the 2.9-nat floor at N = 128, τ = 0.5', () => {
  assertClose(simplexLoss(2, 0.5), Math.log1p(Math.exp(-4)), { rtol: 1e-12 });
  assertClose(simplexLoss(128, 0.5), Math.log1p(127 * Math.exp((-1 / 127 - 1) / 0.5)), { rtol: 1e-12 });
  assert.ok(Math.abs(simplexLoss(128, 0.5) - 2.88) < 0.01);
});

Simplex('no random perturbation of the simplex scores lower (it is the minimum)', () => {
  const n = 6;
  const floor = simplexLoss(n, 0.3);
  const base = simplexEmbedding(n);
  for (let seed = 1; seed <= 5; seed++) {
    const loss = tf.tidy(() => {
      const z1 = tf.add(base, tf.randomNormal([n, n], 0, 0.05, 'float32', seed)) as tf.Tensor2D;
      const z2 = tf.add(base, tf.randomNormal([n, n], 0, 0.05, 'float32', seed + 100)) as tf.Tensor2D;
      return infoNCE(z1, z2, { temperature: 0.3 }).dataSync()[0];
    });
    assert.ok(loss > floor, `perturbed ${loss} > floor ${floor}`);
  }
  base.dispose();
});

Simplex('validates n and τ', () => {
  assert.throws(() => simplexLoss(1, 0.5), /batch size n must be an integer >= 2/);
  assert.throws(() => simplexLoss(4, 0), /temperature must be a finite number > 0/);
});
Simplex.run();

const Landmarks = suite('lossLandmarks');
Landmarks.before(useCpu);

Landmarks('collapsed embeddings score exactly log N (infoNCE) and log(2N − 1) (NT-Xent)', () => {
  for (const n of [2, 8, 64]) {
    const l = lossLandmarks(n, { dim: 16 });
    assertClose(l.collapsed.infoNCE, Math.log(n), { rtol: 1e-5 }, `n ${n}`);
    assertClose(l.collapsed.ntXent, Math.log(2 * n - 1), { rtol: 1e-5 }, `n ${n}`);
    assert.is(l.logN, Math.log(n));
    assert.is(l.log2NMinus1, Math.log(2 * n - 1));
  }
});

Landmarks('random embeddings in high dimension are nearly orthogonal: loss ≈ log N', () => {
  const l = lossLandmarks(16, { dim: 4096, temperature: 1 });
  assertClose(l.random.infoNCE, Math.log(16), { atol: 0.02 });
  assertClose(l.random.ntXent, Math.log(31), { atol: 0.02 });
});

Landmarks('ordering: simplex floor < aligned random < random; simplex equals simplexLoss', () => {
  const l = lossLandmarks(32, { dim: 64, temperature: 0.5, seed: 3 });
  for (const loss of ['infoNCE', 'ntXent'] as const) {
    assert.ok(l.simplex[loss] < l.alignedRandom[loss] && l.alignedRandom[loss] < l.random[loss], `${loss}: ${JSON.stringify(l)}`);
    assert.is(l.simplex[loss], simplexLoss(32, 0.5, loss));
  }
});

Landmarks('deterministic for a seed, different across seeds, and frees its tensors', async () => {
  assert.equal(lossLandmarks(8, { seed: 1 }).random, lossLandmarks(8, { seed: 1 }).random);
  assert.not.equal(lossLandmarks(8, { seed: 1 }).random, lossLandmarks(8, { seed: 2 }).random);
  await assertNoLeak(() => lossLandmarks(8));
});

Landmarks('validates its arguments', () => {
  assert.throws(() => lossLandmarks(1), /n must be an integer >= 2/);
  assert.throws(() => lossLandmarks(4, { dim: 0 }), /dim must be a positive integer, got 0/);
  assert.throws(() => lossLandmarks(4, { temperature: -1 }), /temperature must be a finite number > 0/);
});
Landmarks.run();
