import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { alignment, uniformity } from '../../lib/losses/alignUniform';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';
import { Matrix, alignmentReference, centralDifferenceGradient, maxAbs, randomMatrix, randomPair, uniformityReference } from './reference';
import golden from '../fixtures/losses/golden.json';

interface GoldenAlignUniform {
  n: number; d: number; alpha: number; t: number; z1: Matrix; z2: Matrix;
  alignment: number; alignmentGradZ1: Matrix; alignmentGradZ2: Matrix; uniformity: number; uniformityGradZ1: Matrix;
}

const alignValue = (z1: Matrix, z2: Matrix, alpha: number) =>
  tf.tidy(() => alignment(tf.tensor2d(z1), tf.tensor2d(z2), { alpha }).arraySync() as number);
const uniformValue = (z: Matrix, t: number) => tf.tidy(() => uniformity(tf.tensor2d(z), { t }).arraySync() as number);
const alignGradients = (z1: Matrix, z2: Matrix, alpha: number): [Matrix, Matrix] => tf.tidy(() => {
  const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => alignment(a as tf.Tensor2D, b as tf.Tensor2D, { alpha }))([tf.tensor2d(z1), tf.tensor2d(z2)]);
  return [g1.arraySync() as Matrix, g2.arraySync() as Matrix];
});
const uniformGradient = (z: Matrix, t: number): Matrix =>
  tf.tidy(() => tf.grad((a: tf.Tensor) => uniformity(a as tf.Tensor2D, { t }))(tf.tensor2d(z)).arraySync() as Matrix);

const Alignment = suite('alignment');
Alignment.before(useCpu);

Alignment('matches the float64 loop reference for N in {2,3,8,33}, D in {1,5,64}, alpha in {1,2,3}', () => {
  const rng = new Rng(31);
  for (const n of [2, 3, 8, 33]) for (const d of [1, 5, 64]) for (const alpha of [1, 2, 3]) {
    const [z1, z2] = randomPair(rng, n, d, 1);
    assertClose(alignValue(z1, z2, alpha), alignmentReference(z1, z2, alpha), { rtol: 1e-5, atol: 1e-6 }, `N=${n} D=${d} alpha=${alpha}`);
  }
});

Alignment('alpha = 0.5 matches the reference on separated pairs (D >= 5; near-coinciding pairs amplify float32 rounding)', () => {
  const rng = new Rng(37);
  for (const n of [2, 8, 33]) for (const d of [5, 64]) {
    const [z1, z2] = randomPair(rng, n, d, 1);
    assertClose(alignValue(z1, z2, 0.5), alignmentReference(z1, z2, 0.5), { rtol: 1e-5, atol: 1e-6 }, `N=${n} D=${d}`);
  }
});

Alignment('matches the PyTorch golden values and gradients (Wang & Isola snippet)', () => {
  for (const c of golden.alignUniform as GoldenAlignUniform[]) {
    assertClose(alignValue(c.z1, c.z2, c.alpha), c.alignment, { rtol: 1e-5, atol: 1e-7 }, `alpha=${c.alpha}`);
    const [g1, g2] = alignGradients(c.z1, c.z2, c.alpha);
    const scale = Math.max(maxAbs(c.alignmentGradZ1), maxAbs(c.alignmentGradZ2));
    assertClose(g1, c.alignmentGradZ1, { rtol: 1e-4, atol: 1e-5 * scale }, `alpha=${c.alpha} d/dz1`);
    assertClose(g2, c.alignmentGradZ2, { rtol: 1e-4, atol: 1e-5 * scale }, `alpha=${c.alpha} d/dz2`);
  }
});

Alignment('known answers: identical views give 0 with a finite (zero) gradient; antipodal views give 2^alpha', () => {
  const z = randomMatrix(new Rng(32), 5, 4);
  const scaled = z.map((row, i) => row.map((v) => Math.fround(v * (i + 0.5))));
  const antipodal = z.map((row) => row.map((v) => -v));
  for (const alpha of [0.5, 1, 2, 3]) {
    assertClose(alignValue(z, z, alpha), 0, { atol: 0 }, `identical alpha=${alpha}`);
    if (alpha >= 1) assertClose(alignValue(z, scaled, alpha), 0, { atol: 1e-6 }, `same directions, other norms, alpha=${alpha}`);
    const [g1, g2] = alignGradients(z, z, alpha);
    assert.ok([...g1.flat(), ...g2.flat()].every((v) => v === 0), `gradient at identical views for alpha=${alpha}`);
    assertClose(alignValue(z, antipodal, alpha), 2 ** alpha, { rtol: 1e-6 }, `antipodal alpha=${alpha}`);
  }
});

Alignment('tf.grad matches central differences of the float64 reference', () => {
  const rng = new Rng(33);
  for (const [n, d, alpha] of [[2, 3, 2], [4, 5, 1], [3, 4, 0.5], [5, 2, 3]]) {
    const [z1, z2] = randomPair(rng, n, d, 0.8);
    const [g1, g2] = alignGradients(z1, z2, alpha);
    const [f1, f2] = centralDifferenceGradient((a, b) => alignmentReference(a, b, alpha), z1, z2);
    const scale = Math.max(maxAbs(f1), maxAbs(f2));
    assertClose(g1, f1, { rtol: 1e-3, atol: 1e-4 * scale }, `alpha=${alpha} d/dz1`);
    assertClose(g2, f2, { rtol: 1e-3, atol: 1e-4 * scale }, `alpha=${alpha} d/dz2`);
  }
});

Alignment('is symmetric in the views and invariant to row rescaling and to a common permutation', () => {
  const rng = new Rng(34);
  const [z1, z2] = randomPair(rng, 8, 5, 1);
  const base = alignValue(z1, z2, 2);
  assertClose(alignValue(z2, z1, 2), base, { rtol: 1e-6 });
  const scale = (m: Matrix) => m.map((row) => { const f = Math.exp(rng.uniform(-4, 4)); return row.map((v) => Math.fround(v * f)); });
  assertClose(alignValue(scale(z1), scale(z2), 2), base, { rtol: 1e-5 });
  const order = Array.from(rng.permutation(8));
  assertClose(alignValue(order.map((i) => z1[i]), order.map((i) => z2[i]), 2), base, { rtol: 1e-5 });
});

Alignment('rejects bad alpha, shapes and (with checkFinite) non-finite inputs', async () => {
  const a = tf.ones([3, 2]) as tf.Tensor2D;
  for (const alpha of [0, -1, NaN, Infinity]) {
    await assertThrowsAsync(async () => alignment(a, a, { alpha }), /^alignment: alpha must be a finite number > 0/);
  }
  await assertThrowsAsync(async () => alignment(a, tf.ones([2, 2]) as tf.Tensor2D), /^alignment: z1 and z2 must have the same shape/);
  await assertThrowsAsync(async () => alignment(a, tf.tensor2d([[1, 2], [3, NaN], [0, 1]]), { checkFinite: true }), /^alignment: z2 contains NaN/);
  tf.dispose(a);
});

Alignment('leaks no tensors (value and gradient, alpha = 2 and alpha = 1)', async () => {
  const a = tf.tensor2d(randomMatrix(new Rng(35), 4, 3));
  const b = tf.tensor2d(randomMatrix(new Rng(36), 4, 3));
  for (const alpha of [2, 1]) {
    await assertNoLeak(() => tf.dispose(alignment(a, b, { alpha, checkFinite: true })), 3, `value alpha=${alpha}`);
    await assertNoLeak(() => tf.dispose(tf.grads((x: tf.Tensor, y: tf.Tensor) => alignment(x as tf.Tensor2D, y as tf.Tensor2D, { alpha }))([a, b])), 3, `grad alpha=${alpha}`);
  }
  tf.dispose([a, b]);
});

Alignment.run();

const Uniformity = suite('uniformity');
Uniformity.before(useCpu);

Uniformity('matches the float64 loop reference for N in {2,3,8,33}, D in {1,5,64}, t in {0.5,2,5}', () => {
  const rng = new Rng(41);
  for (const n of [2, 3, 8, 33]) for (const d of [1, 5, 64]) for (const t of [0.5, 2, 5]) {
    const z = randomMatrix(rng, n, d);
    assertClose(uniformValue(z, t), uniformityReference(z, t), { rtol: 1e-5, atol: 1e-6 }, `N=${n} D=${d} t=${t}`);
  }
});

Uniformity('matches the PyTorch golden values and gradients (Wang & Isola snippet, torch.pdist)', () => {
  for (const c of golden.alignUniform as GoldenAlignUniform[]) {
    assertClose(uniformValue(c.z1, c.t), c.uniformity, { rtol: 1e-5 }, `t=${c.t}`);
    assertClose(uniformGradient(c.z1, c.t), c.uniformityGradZ1, { rtol: 1e-4, atol: 1e-5 * maxAbs(c.uniformityGradZ1) }, `t=${c.t} gradient`);
  }
});

Uniformity('bounds: 0 when all rows coincide; -2tN/(N-1) for a regular simplex and -4t for an antipodal pair; random rows in between', () => {
  const rng = new Rng(42);
  for (const t of [0.5, 2, 5]) {
    const row = randomMatrix(rng, 1, 6)[0];
    assertClose(uniformValue(Array.from({ length: 7 }, () => row), t), 0, { atol: 1e-6 }, `collapsed t=${t}`);
    assertClose(uniformValue([row, row.map((v) => -v)], t), -4 * t, { rtol: 1e-6 }, `antipodal t=${t}`);
    for (const n of [3, 5, 10]) {
      const simplex: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (k === i ? 1 : 0) - 1 / n));
      const lower = (-2 * t * n) / (n - 1);
      assertClose(uniformValue(simplex, t), lower, { rtol: 1e-5 }, `simplex N=${n} t=${t}`);
      const random = uniformValue(randomMatrix(rng, n, 4), t);
      assert.ok(random >= lower - 1e-5 && random <= 1e-6, `random N=${n} t=${t}: ${random} outside [${lower}, 0]`);
    }
  }
});

Uniformity('large t stays finite and accurate (log-sum-exp, no log 0)', () => {
  const z = randomMatrix(new Rng(43), 6, 3);
  for (const t of [50, 500]) {
    const value = uniformValue(z, t);
    assert.ok(Number.isFinite(value), `t=${t}: ${value}`);
    assertClose(value, uniformityReference(z, t), { rtol: 1e-5 }, `t=${t}`);
    assert.ok(uniformGradient(z, t).flat().every(Number.isFinite), `gradient at t=${t}`);
  }
});

Uniformity('tf.grad matches central differences of the float64 reference; invariant to rescaling and permutation', () => {
  const rng = new Rng(44);
  for (const [n, d, t] of [[2, 3, 2], [5, 4, 1], [4, 2, 5]]) {
    const z = randomMatrix(rng, n, d);
    const [f] = centralDifferenceGradient((a) => uniformityReference(a, t), z, z);
    assertClose(uniformGradient(z, t), f, { rtol: 1e-3, atol: 1e-4 * maxAbs(f) }, `N=${n} t=${t}`);
    const base = uniformValue(z, t);
    const scaled = z.map((row) => { const s = Math.exp(rng.uniform(-4, 4)); return row.map((v) => Math.fround(v * s)); });
    assertClose(uniformValue(scaled, t), base, { rtol: 1e-5, atol: 1e-6 });
    const order = Array.from(rng.permutation(n));
    assertClose(uniformValue(order.map((i) => z[i]), t), base, { rtol: 1e-5, atol: 1e-6 });
  }
});

Uniformity('rejects bad t, N < 2, wrong rank and (with checkFinite) non-finite inputs', async () => {
  const z = tf.ones([3, 2]) as tf.Tensor2D;
  for (const t of [0, -2, NaN, Infinity]) await assertThrowsAsync(async () => uniformity(z, { t }), /^uniformity: t must be a finite number > 0/);
  await assertThrowsAsync(async () => uniformity(tf.ones([1, 2]) as tf.Tensor2D), /^uniformity: z needs N >= 2/);
  await assertThrowsAsync(async () => uniformity(tf.ones([2, 2, 2]) as unknown as tf.Tensor2D), /^uniformity: z must be a 2-D tensor/);
  await assertThrowsAsync(async () => uniformity(tf.tensor2d([[Infinity, 0], [0, 1]]), { checkFinite: true }), /^uniformity: z contains NaN or Infinity/);
  tf.dispose(z);
});

Uniformity('leaks no tensors (value and gradient)', async () => {
  const z = tf.tensor2d(randomMatrix(new Rng(45), 5, 3));
  await assertNoLeak(() => tf.dispose(uniformity(z, { checkFinite: true })), 3, 'value');
  await assertNoLeak(() => tf.dispose(tf.grad((x: tf.Tensor) => uniformity(x as tf.Tensor2D))(z)), 3, 'gradient');
  tf.dispose(z);
});

Uniformity.run();
