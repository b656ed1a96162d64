/**
 * Checks shared by the two pair losses (infoNCE, ntXent), registered on the caller's uvu suite:
 * float64 references, golden PyTorch values and gradients, invariances, finite-difference gradients,
 * stability, validation and leaks. Not a test file; the known answers live in each loss's own test file.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, assertThrowsAsync } from '../helpers';
import { Matrix, centralDifferenceGradient, maxAbs, randomPair } from './reference';
import golden from '../fixtures/losses/golden.json';

export type PairLoss = (z1: tf.Tensor2D, z2: tf.Tensor2D, options?: { temperature?: number; checkFinite?: boolean }) => tf.Scalar;
export type PairReference = (z1: Matrix, z2: Matrix, temperature: number) => number;

interface GoldenCase {
  kind: string; n: number; d: number; temperature: number;
  z1: Matrix; z2: Matrix; value: number; gradZ1: Matrix; gradZ2: Matrix;
}

/** Loss value as a JS number, computed inside tidy (no tensors left behind). */
export function lossValue(loss: PairLoss, z1: Matrix | tf.Tensor2D, z2: Matrix | tf.Tensor2D, temperature: number): number {
  return tf.tidy(() => {
    const a = Array.isArray(z1) ? tf.tensor2d(z1) : z1;
    const b = Array.isArray(z2) ? tf.tensor2d(z2) : z2;
    return loss(a, b, { temperature });
  }).arraySync() as number;
}

/** tf.grad of the loss with respect to both views, as nested arrays. */
export function lossGradients(loss: PairLoss, z1: Matrix, z2: Matrix, temperature: number): [Matrix, Matrix] {
  const [g1, g2] = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a as tf.Tensor2D, b as tf.Tensor2D, { temperature }))([tf.tensor2d(z1), tf.tensor2d(z2)]));
  const result: [Matrix, Matrix] = [g1.arraySync() as Matrix, g2.arraySync() as Matrix];
  tf.dispose([g1, g2]);
  return result;
}

export function registerPairLossChecks(test: Test, name: 'infoNCE' | 'ntXent', loss: PairLoss, reference: PairReference): void {
  test('matches the float64 loop reference for N in {2,3,8,33}, D in {1,5,64}, tau in {0.05,0.1,0.5,1,2} (rtol 1e-5)', () => {
    const rng = new Rng(1);
    for (const n of [2, 3, 8, 33]) for (const d of [1, 5, 64]) for (const temperature of [0.05, 0.1, 0.5, 1, 2]) {
      const [z1, z2] = randomPair(rng, n, d, 1);
      assertClose(lossValue(loss, z1, z2, temperature), reference(z1, z2, temperature), { rtol: 1e-5, atol: 1e-6 }, `N=${n} D=${d} tau=${temperature}`);
    }
  });

  test('still matches the reference at tau = 0.01 (rtol 1e-4), where logits reach ±100', () => {
    const rng = new Rng(2);
    for (const [n, d, noise] of [[8, 16, 3], [33, 64, 6], [5, 5, 1]]) {
      const [z1, z2] = randomPair(rng, n, d, noise);
      assertClose(lossValue(loss, z1, z2, 0.01), reference(z1, z2, 0.01), { rtol: 1e-4, atol: 1e-5 }, `N=${n} D=${d}`);
    }
  });

  test('matches the PyTorch golden values and gradients (tests/fixtures/losses/golden.json)', () => {
    const cases = (golden.pairLosses as GoldenCase[]).filter((c) => c.kind === name);
    assert.ok(cases.length >= 5, `expected >= 5 golden ${name} cases, found ${cases.length}`);
    for (const c of cases) {
      const label = `golden N=${c.n} D=${c.d} tau=${c.temperature}`;
      assertClose(lossValue(loss, c.z1, c.z2, c.temperature), c.value, { rtol: 2e-5, atol: 1e-6 }, label);
      const [g1, g2] = lossGradients(loss, c.z1, c.z2, c.temperature);
      const scale = Math.max(maxAbs(c.gradZ1), maxAbs(c.gradZ2));
      assertClose(g1, c.gradZ1, { rtol: 1e-4, atol: 1e-5 * scale }, `${label} dL/dz1`);
      assertClose(g2, c.gradZ2, { rtol: 1e-4, atol: 1e-5 * scale }, `${label} dL/dz2`);
    }
  });

  test('tf.grad matches central differences of the float64 reference', () => {
    const rng = new Rng(3);
    for (const [n, d, temperature] of [[2, 3, 0.5], [3, 1, 1], [4, 5, 0.1], [5, 4, 0.05]]) {
      const [z1, z2] = randomPair(rng, n, d, 0.8);
      const [g1, g2] = lossGradients(loss, z1, z2, temperature);
      const [f1, f2] = centralDifferenceGradient((a, b) => reference(a, b, temperature), z1, z2, 1e-6);
      const scale = Math.max(maxAbs(f1), maxAbs(f2), 1e-2); // D = 1 has zero gradient (a 1-D unit vector is ±1)
      assertClose(g1, f1, { rtol: 1e-3, atol: 1e-4 * scale }, `N=${n} D=${d} tau=${temperature} dL/dz1`);
      assertClose(g2, f2, { rtol: 1e-3, atol: 1e-4 * scale }, `N=${n} D=${d} tau=${temperature} dL/dz2`);
    }
  });

  test('is symmetric in the views, invariant to positive row rescaling and to a common permutation of the pairs', () => {
    const rng = new Rng(4);
    for (const [n, d, temperature] of [[2, 3, 0.5], [8, 5, 0.1], [33, 64, 0.05]]) {
      const [z1, z2] = randomPair(rng, n, d, 1);
      const base = lossValue(loss, z1, z2, temperature);
      assertClose(lossValue(loss, z2, z1, temperature), base, { rtol: 1e-6, atol: 1e-7 }, 'swap');
      const scale = (m: Matrix) => m.map((row) => { const f = Math.exp(rng.uniform(-4, 4)); return row.map((v) => Math.fround(v * f)); });
      assertClose(lossValue(loss, scale(z1), scale(z2), temperature), base, { rtol: 1e-5, atol: 1e-6 }, 'rescale');
      const order = Array.from(rng.permutation(n));
      assertClose(lossValue(loss, order.map((i) => z1[i]), order.map((i) => z2[i]), temperature), base, { rtol: 1e-5, atol: 1e-6 }, 'permute');
    }
  });

  test('tau = 0.05 and 0.01 with large-norm, nearly aligned embeddings: finite loss and gradients, loss near the reference', () => {
    const rng = new Rng(5);
    for (const magnitude of [1e6, 1e15]) for (const temperature of [0.05, 0.01]) {
      const z1 = Array.from({ length: 6 }, () => Array.from({ length: 8 }, () => Math.fround(magnitude * rng.normal())));
      const z2 = z1.map((row) => row.map((v) => Math.fround(v * (1 + 1e-3 * rng.normal()))));
      const value = lossValue(loss, z1, z2, temperature);
      assert.ok(Number.isFinite(value), `loss ${value} at |z| ~ ${magnitude}, tau ${temperature}`);
      assertClose(value, reference(z1, z2, temperature), { rtol: 1e-4, atol: 1e-5 }, `|z| ~ ${magnitude}, tau ${temperature}`);
      const [g1, g2] = lossGradients(loss, z1, z2, temperature);
      assert.ok([...g1.flat(), ...g2.flat()].every(Number.isFinite), `non-finite gradient at |z| ~ ${magnitude}, tau ${temperature}`);
    }
  });

  test('uses temperature 0.5 by default', () => {
    const [z1, z2] = randomPair(new Rng(6), 4, 3, 1);
    const byDefault = tf.tidy(() => loss(tf.tensor2d(z1), tf.tensor2d(z2)).arraySync() as number);
    assertClose(byDefault, lossValue(loss, z1, z2, 0.5), { rtol: 0, atol: 0 });
  });

  test('rejects bad inputs with a clear error', async () => {
    const a = tf.zeros([4, 3]) as tf.Tensor2D;
    const b = tf.ones([4, 3]) as tf.Tensor2D;
    const cases: [() => unknown, RegExp][] = [
      [() => loss(a, tf.ones([5, 3]) as tf.Tensor2D), /same shape.*\[4,3\] and \[5,3\]/],
      [() => loss(a, tf.ones([4, 2]) as tf.Tensor2D), /same shape/],
      [() => loss(tf.ones([1, 3]) as tf.Tensor2D, tf.ones([1, 3]) as tf.Tensor2D), /N >= 2.*\[1,3\]/],
      [() => loss(tf.ones([4]) as unknown as tf.Tensor2D, b), /2-D tensor.*rank 1/],
      [() => loss(tf.ones([4, 3], 'int32') as tf.Tensor2D, b), /float32, got int32/],
      [() => loss([[1, 2]] as unknown as tf.Tensor2D, b), /tf.Tensor of shape/],
      [() => loss(a, b, { temperature: 0 }), /temperature must be a finite number > 0, got 0/],
      [() => loss(a, b, { temperature: -0.5 }), /temperature.*got -0.5/],
      [() => loss(a, b, { temperature: NaN }), /temperature.*got NaN/],
      [() => loss(a, b, { temperature: Infinity }), /temperature.*got Infinity/],
      [() => loss(tf.tensor2d([[1, NaN], [0, 1]]), tf.ones([2, 2]) as tf.Tensor2D, { checkFinite: true }), /z1 contains NaN or Infinity/],
      [() => loss(tf.ones([2, 2]) as tf.Tensor2D, tf.tensor2d([[1, 0], [Infinity, 1]]), { checkFinite: true }), /z2 contains NaN or Infinity/],
    ];
    for (const [fn, pattern] of cases) {
      await assertThrowsAsync(async () => fn(), new RegExp(`^${name}: .*` + pattern.source), pattern.source);
    }
    // Without checkFinite a NaN input is not looked at: it propagates to a NaN loss (no device sync).
    const nanLoss = tf.tidy(() => loss(tf.tensor2d([[1, NaN], [0, 1]]), tf.ones([2, 2]) as tf.Tensor2D).arraySync() as number);
    assert.ok(Number.isNaN(nanLoss));
    tf.dispose([a, b]);
  });

  test('lets gradients flow to variables: optimizer.minimize lowers the loss, variableGrads reaches both views', () => {
    const [z1, z2] = randomPair(new Rng(7), 8, 4, 2);
    const v1 = tf.variable(tf.tensor2d(z1));
    const v2 = tf.variable(tf.tensor2d(z2));
    const optimizer = tf.train.adam(0.05);
    const objective = () => loss(v1, v2, { temperature: 0.2 });
    const before = tf.tidy(() => objective().arraySync() as number);
    const { value, grads } = tf.variableGrads(objective, [v1, v2]);
    assertClose(value.arraySync() as number, before, { rtol: 1e-6 });
    for (const v of [v1, v2]) assert.ok(maxAbs(grads[v.name].arraySync() as Matrix) > 1e-4, `no gradient reached ${v.name}`);
    tf.dispose([value, ...Object.values(grads)]);
    for (let step = 0; step < 30; step++) optimizer.minimize(objective, true, [v1, v2])?.dispose();
    const after = tf.tidy(() => objective().arraySync() as number);
    assert.ok(after < 0.5 * before, `loss went from ${before} to ${after}`);
    optimizer.dispose();
    tf.dispose([v1, v2]);
  });

  test('leaks no tensors (loss, gradients, checkFinite path, validation failure)', async () => {
    const [z1, z2] = randomPair(new Rng(8), 5, 3, 1);
    const a = tf.tensor2d(z1);
    const b = tf.tensor2d(z2);
    const gradient = tf.grads((x: tf.Tensor, y: tf.Tensor) => loss(x as tf.Tensor2D, y as tf.Tensor2D, { temperature: 0.1 }));
    await assertNoLeak(() => tf.dispose(loss(a, b)), 3, 'loss');
    await assertNoLeak(() => tf.dispose(loss(a, b, { checkFinite: true })), 3, 'loss with checkFinite');
    await assertNoLeak(() => tf.dispose(gradient([a, b])), 3, 'tf.grads');
    await assertNoLeak(() => { try { loss(a, b, { temperature: -1 }); } catch { /* expected */ } }, 3, 'validation error');
    const bad = tf.tensor2d([[NaN, 1], [1, 1]]);
    const ok = tf.ones([2, 2]) as tf.Tensor2D;
    await assertNoLeak(() => { try { loss(bad, ok, { checkFinite: true }); } catch { /* expected */ } }, 3, 'checkFinite error');
    tf.dispose([a, b, bad, ok]);
  });

  test('returns a float32 scalar', () => {
    const [shape, dtype] = tf.tidy(() => {
      const out = loss(tf.ones([2, 2]) as tf.Tensor2D, tf.ones([2, 2]) as tf.Tensor2D);
      return [out.shape, out.dtype];
    });
    assert.equal(shape, []);
    assert.is(dtype, 'float32');
  });
}
