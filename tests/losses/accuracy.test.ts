import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { AccuracyScope, contrastiveAccuracy } from '../../lib/losses/accuracy';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';
import { Matrix, accuracyReference, randomMatrix, randomPair } from './reference';

const accuracyValue = (z1: Matrix, z2: Matrix, scope?: AccuracyScope) =>
  tf.tidy(() => contrastiveAccuracy(tf.tensor2d(z1), tf.tensor2d(z2), scope === undefined ? undefined : { scope }).arraySync() as number);
const unitAt = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];

const ContrastiveAccuracy = suite('contrastiveAccuracy');
ContrastiveAccuracy.before(useCpu);

// D = 1 is left out: every cosine is ±1, so every comparison is a tie, which float32 rounding of x/|x| breaks arbitrarily.
ContrastiveAccuracy('matches the float64 loop reference for both scopes, N in {2,3,8,33}, D in {2,5,64}', () => {
  const rng = new Rng(51);
  for (const n of [2, 3, 8, 33]) for (const d of [2, 5, 64]) for (const noise of [0.3, 1, 3]) {
    const [z1, z2] = randomPair(rng, n, d, noise);
    for (const scope of ['ntxent', 'crossView'] as const) {
      assertClose(accuracyValue(z1, z2, scope), accuracyReference(z1, z2, scope), { rtol: 0, atol: 1e-7 }, `${scope} N=${n} D=${d} noise=${noise}`);
    }
  }
});

ContrastiveAccuracy('hand-worked case where the scopes differ: same-view neighbours beat the positive only under ntxent', () => {
  // z1 = a (0 deg), b (1 deg); z2 = a' (-10 deg), b' (11 deg). Under ntxent a and b pick each other (wrong),
  // a' and b' pick a and b (right): 2/4. Cross-view every anchor's positive is its closest candidate: 1.
  const z1 = [unitAt(0), unitAt(1)];
  const z2 = [unitAt(-10), unitAt(11)];
  assertClose(accuracyValue(z1, z2, 'ntxent'), 0.5, { atol: 0 });
  assertClose(accuracyValue(z1, z2, 'crossView'), 1, { atol: 0 });
  assertClose(accuracyValue(z1, z2), 0.5, { atol: 0 }, 'default scope is ntxent');
});

ContrastiveAccuracy('known answers: separated pairs 1, collapsed embeddings 0 (ties count as wrong), antipodal views 0', () => {
  const basis: Matrix = Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, k) => (k === i ? 2 : 0)));
  const row = randomMatrix(new Rng(52), 1, 6)[0];
  const collapsed = Array.from({ length: 4 }, () => row);
  const z = randomMatrix(new Rng(53), 5, 3);
  for (const scope of ['ntxent', 'crossView'] as const) {
    assert.is(accuracyValue(basis, basis, scope), 1, `separated ${scope}`);
    assert.is(accuracyValue(collapsed, collapsed, scope), 0, `collapsed ${scope}`);
    assert.is(accuracyValue(z, z.map((r) => r.map((v) => -v)), scope), 0, `antipodal ${scope}`);
  }
});

ContrastiveAccuracy('is symmetric in the views and invariant to row rescaling and to a common permutation', () => {
  const rng = new Rng(54);
  const [z1, z2] = randomPair(rng, 16, 5, 1.5);
  for (const scope of ['ntxent', 'crossView'] as const) {
    const base = accuracyValue(z1, z2, scope);
    assert.ok(base > 0 && base < 1, `a non-trivial case (${scope}: ${base})`);
    assert.is(accuracyValue(z2, z1, scope), base);
    const scale = (m: Matrix) => m.map((r) => { const f = 2 ** rng.int(20) / 1024; return r.map((v) => v * f); }); // powers of 2: exact
    assert.is(accuracyValue(scale(z1), scale(z2), scope), base);
    const order = Array.from(rng.permutation(16));
    assert.is(accuracyValue(order.map((i) => z1[i]), order.map((i) => z2[i]), scope), base);
  }
});

ContrastiveAccuracy('rejects an unknown scope, bad shapes and (with checkFinite) non-finite inputs', async () => {
  const a = tf.ones([3, 2]) as tf.Tensor2D;
  await assertThrowsAsync(async () => contrastiveAccuracy(a, a, { scope: 'rows' as AccuracyScope }), /^contrastiveAccuracy: scope must be 'ntxent' or 'crossView', got "rows"/);
  await assertThrowsAsync(async () => contrastiveAccuracy(a, tf.ones([3, 3]) as tf.Tensor2D), /^contrastiveAccuracy: z1 and z2 must have the same shape/);
  await assertThrowsAsync(async () => contrastiveAccuracy(tf.ones([1, 2]) as tf.Tensor2D, tf.ones([1, 2]) as tf.Tensor2D), /N >= 2/);
  await assertThrowsAsync(async () => contrastiveAccuracy(a, tf.tensor2d([[1, 1], [NaN, 1], [1, 0]]), { checkFinite: true }), /z2 contains NaN/);
  tf.dispose(a);
});

ContrastiveAccuracy('returns a float32 scalar and leaks no tensors', async () => {
  const [z1, z2] = randomPair(new Rng(55), 6, 4, 1);
  const a = tf.tensor2d(z1);
  const b = tf.tensor2d(z2);
  const out = contrastiveAccuracy(a, b);
  assert.equal(out.shape, []);
  assert.is(out.dtype, 'float32');
  out.dispose();
  for (const scope of ['ntxent', 'crossView'] as const) {
    await assertNoLeak(() => tf.dispose(contrastiveAccuracy(a, b, { scope, checkFinite: true })), 3, scope);
  }
  tf.dispose([a, b]);
});

ContrastiveAccuracy.run();
