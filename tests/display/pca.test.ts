import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertClose } from '../helpers';
import { Rng } from '../../lib/rng';
import { pca2d } from '../../lib/display/pca';

/** The data behind the numpy references: x[i, j] = sin(1.3 i + 0.7 j²) + 0.5 cos(0.9 i (j mod 3)) + 0.01 i j. */
function formulaData(n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = Math.sin(1.3 * i + 0.7 * j * j) + 0.5 * Math.cos(0.9 * i * (j % 3)) + 0.01 * j * i;
  return out;
}

/*
 * References from numpy 1.24 (float64):
 *   x = f - f.mean(0); c = x.T @ x / (n - 1); w, v = np.linalg.eigh(c); take the two largest, flip each eigenvector
 *   so its largest-magnitude entry is positive; coordinates = x @ v.
 */
const NUMPY_50_BY_20 = {
  variances: [53.93939377138865, 5.549885922575765],
  ratio: [0.8404641366312504, 0.08647631636516047],
  v1: [0.00932151711315149, 0.037628254133931616, 0.036875309062261344, 0.06805354529734893, 0.07398293074183901, 0.09256443011011775],
  v2: [-0.29556041574437303, -0.23879236676756976, 0.2932853330743688, -0.2722864911079364, 0.018640600801959478, 0.028325259223657577],
  coordinates: [-10.090837539603399, -0.251586317514739, -9.946890763451684, -3.4906787388309195, -11.988347711760385, -1.9325117830156433],
};
const NUMPY_10_BY_20 = { // D > N: the implicit Xᵀ(X v) path
  variances: [6.480413672910201, 4.089713908869048],
  ratio: [0.4791096884843278, 0.30236056766856706],
  v1: [-0.27498614745504496, -0.32182339335246835, 0.2911183547169316, -0.26979591978312734, -0.08153934179750756, 0.042087075163959084],
  v2: [0.0824383881889061, -0.15784921795688794, -0.17298950098381288, 0.07545592435640533, 0.38527420597280626, 0.3984832591691193],
  coordinates: [-0.050142114831514754, -2.2515909220626376, -3.0908595772159644, 0.06492688309392473, -0.8050126990437123, 2.8046767298340405],
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** Covariance (denominator N − 1) by the textbook double loop. */
function covariance(x: ArrayLike<number>, n: number, dim: number): number[][] {
  const mean = Array.from({ length: dim }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += x[i * dim + j]; return s / n; });
  return Array.from({ length: dim }, (_, a) => Array.from({ length: dim }, (_, b) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * dim + a] - mean[a]) * (x[i * dim + b] - mean[b]);
    return s / (n - 1);
  }));
}
const times = (c: number[][], v: ArrayLike<number>) => c.map((row) => dot(row, v));

const Pca2d = suite('pca2d');

Pca2d('equals numpy eigh on a 50 × 20 case (covariance formed) and a 10 × 20 case (D > N, implicit)', () => {
  for (const [n, reference] of [[50, NUMPY_50_BY_20], [10, NUMPY_10_BY_20]] as const) {
    const result = pca2d(formulaData(n, 20), n, 20);
    assert.ok(result.converged, `converged (n ${n})`);
    assertClose(result.variances, reference.variances, { rtol: 1e-10 }, `variances n ${n}`);
    assertClose(result.varianceRatio, reference.ratio, { rtol: 1e-10 }, `ratio n ${n}`);
    assertClose(result.components[0].slice(0, 6), reference.v1, { atol: 1e-9 }, `v1 n ${n}`);
    assertClose(result.components[1].slice(0, 6), reference.v2, { atol: 1e-9 }, `v2 n ${n}`);
    assertClose(result.coordinates.slice(0, 6), reference.coordinates, { atol: 1e-8 }, `coordinates n ${n}`);
  }
});

Pca2d('a known case: 4 points (±2, 0), (0, ±1) give the axes, variances 8/3 and 2/3, and the points back', () => {
  const points = [2, 0, -2, 0, 0, 1, 0, -1];
  const result = pca2d(Float32Array.from(points), 4, 2);
  assertClose(result.components[0], [1, 0], { atol: 1e-12 });
  assertClose(result.components[1], [0, 1], { atol: 1e-12 });
  assertClose(result.variances, [8 / 3, 2 / 3], { rtol: 1e-12 });
  assertClose(result.varianceRatio, [0.8, 0.2], { rtol: 1e-12 });
  assertClose(result.coordinates, points, { atol: 1e-12 });
  assertClose(result.mean, [0, 0], { atol: 1e-15 });
});

Pca2d('points on a line in 6-D: the first component is the line direction, the second coordinate is 0', () => {
  const direction = [1, -2, 0.5, 3, 0, 1];
  const norm = Math.sqrt(dot(direction, direction));
  const unit = direction.map((v) => v / norm);
  const offset = [5, 5, -1, 0, 2, 7];
  const ts = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 4 + i * 0.1);
  const x = Float64Array.from(ts.flatMap((t) => offset.map((o, j) => o + t * direction[j])));
  const result = pca2d(x, 30, 6);
  assert.ok(result.converged);
  assertClose(result.components[0], unit, { atol: 1e-10 }); // unit's largest entry (3/‖d‖) is positive: the sign convention agrees
  const meanT = ts.reduce((a, b) => a + b, 0) / ts.length;
  assertClose(Array.from({ length: 30 }, (_, i) => result.coordinates[2 * i]), ts.map((t) => (t - meanT) * norm), { atol: 1e-9 });
  assertClose(Array.from({ length: 30 }, (_, i) => result.coordinates[2 * i + 1]), new Array(30).fill(0), { atol: 1e-9 });
  assertClose(result.variances[1], 0, { atol: 1e-9 });
  assertClose(result.varianceRatio, [1, 0], { atol: 1e-12 });
  assertClose(dot(result.components[0], result.components[1]), 0, { atol: 1e-12 }); // still an orthonormal pair
  assertClose(dot(result.components[1], result.components[1]), 1, { atol: 1e-12 });
});

Pca2d('points on a plane in 10-D: components span the plane, ordered by variance; points reconstruct exactly', () => {
  const rng = new Rng(1);
  const u1 = Array.from({ length: 10 }, () => rng.normal());
  const n1 = Math.sqrt(dot(u1, u1));
  for (let j = 0; j < 10; j++) u1[j] /= n1;
  const u2 = Array.from({ length: 10 }, () => rng.normal());
  const c = dot(u1, u2);
  for (let j = 0; j < 10; j++) u2[j] -= c * u1[j];
  const n2 = Math.sqrt(dot(u2, u2));
  for (let j = 0; j < 10; j++) u2[j] /= n2;
  const n = 200;
  const a = Array.from({ length: n }, () => 3 * rng.normal()); // variance ≈ 9 along u1
  const b = Array.from({ length: n }, () => rng.normal()); // variance ≈ 1 along u2
  const x = Float64Array.from({ length: n * 10 }, (_, k) => a[Math.floor(k / 10)] * u1[k % 10] + b[Math.floor(k / 10)] * u2[k % 10]);
  const result = pca2d(x, n, 10);
  assert.ok(result.converged);
  assert.ok(Math.abs(dot(result.components[0], u1)) > 0.99, 'v1 ≈ ±u1');
  assert.ok(Math.abs(dot(result.components[1], u2)) > 0.99, 'v2 ≈ ±u2');
  assertClose(result.varianceRatio[0] + result.varianceRatio[1], 1, { atol: 1e-12 });
  const reconstructed = Float64Array.from({ length: n * 10 }, (_, k) => {
    const i = Math.floor(k / 10), j = k % 10;
    return result.mean[j] + result.coordinates[2 * i] * result.components[0][j] + result.coordinates[2 * i + 1] * result.components[1][j];
  });
  assertClose(reconstructed, x, { atol: 1e-10 });
});

Pca2d('they are the top two eigenpairs (Courant–Fischer) of a spectrum with close eigenvalues, 40-D', () => {
  const rng = new Rng(5);
  const n = 300, dim = 40;
  const scales = Array.from({ length: dim }, (_, j) => (j === 0 ? 3 : 2 - 0.01 * j)); // λ₂ ≈ 3.96·s vs λ₃ ≈ 3.92·s: a tight gap
  const x = Float64Array.from({ length: n * dim }, (_, k) => scales[k % dim] * rng.normal());
  const result = pca2d(x, n, dim);
  assert.ok(result.converged, `converged after ${result.iterations} iterations`);
  const c = covariance(x, n, dim);
  for (let k = 0; k < 2; k++) {
    assertClose(times(c, result.components[k]), Array.from(result.components[k], (v) => v * result.variances[k]), { atol: 1e-8 }, `C v${k + 1} = λ v${k + 1}`);
  }
  assert.ok(result.variances[0] >= result.variances[1]);
  for (let trial = 0; trial < 200; trial++) { // v'Cv ≤ λ₁ for every unit v, and ≤ λ₂ for every unit v ⊥ v₁
    const v = Array.from({ length: dim }, () => rng.normal());
    const along = dot(v, result.components[0]);
    const orthogonal = v.map((value, j) => value - along * result.components[0][j]);
    const quotient = (w: number[]) => dot(w, times(c, w)) / dot(w, w);
    assert.ok(quotient(v) <= result.variances[0] + 1e-9);
    assert.ok(quotient(orthogonal) <= result.variances[1] + 1e-9);
  }
  const ratioByTrace = result.variances[0] / c.reduce((s, row, j) => s + row[j], 0);
  assertClose(result.varianceRatio[0], ratioByTrace, { rtol: 1e-12 });
});

Pca2d('deterministic, and independent of the start seed once converged; coordinates centred with variances λ', () => {
  const x = formulaData(50, 20);
  const first = pca2d(x, 50, 20);
  const again = pca2d(x, 50, 20);
  assert.equal(Array.from(again.coordinates), Array.from(first.coordinates));
  assert.equal(Array.from(again.components[1]), Array.from(first.components[1]));
  const otherSeed = pca2d(x, 50, 20, { seed: 99 });
  assertClose(otherSeed.coordinates, first.coordinates, { atol: 1e-8 });
  for (let k = 0; k < 2; k++) {
    const column = Array.from({ length: 50 }, (_, i) => first.coordinates[2 * i + k]);
    assertClose(column.reduce((a, b) => a + b, 0) / 50, 0, { atol: 1e-12 });
    assertClose(column.reduce((a, b) => a + b * b, 0) / 49, first.variances[k], { rtol: 1e-10 });
  }
});

Pca2d('constant data: zero variances and ratios, coordinates 0, still converged', () => {
  const result = pca2d(new Float32Array(12).fill(2), 4, 3);
  assert.ok(result.converged);
  assert.equal(result.variances, [0, 0]);
  assert.equal(result.varianceRatio, [0, 0]);
  assertClose(result.coordinates, new Array(8).fill(0), { atol: 0 });
});

Pca2d('validation: sizes, length, non-finite values, options', () => {
  assert.throws(() => pca2d(new Float32Array(6), 3, 3), /features must hold n·dim = 9 numbers, got a Float32Array of length 6/);
  assert.throws(() => pca2d(new Float32Array(3), 1, 3), /at least 2 points in at least 2 dimensions/);
  assert.throws(() => pca2d(new Float32Array(3), 3, 1), /at least 2 points in at least 2 dimensions/);
  assert.throws(() => pca2d(new Float32Array(4), 2.5, 2), /n must be a positive integer/);
  assert.throws(() => pca2d(Float32Array.from([1, 2, NaN, 4]), 2, 2), /features must be finite, element 2 is NaN/);
  assert.throws(() => pca2d(new Float32Array(4), 2, 2, { tolerance: 0 }), /tolerance must be > 0/);
  assert.throws(() => pca2d(new Float32Array(4), 2, 2, { maxIterations: 0 }), /maxIterations must be a positive integer/);
});

Pca2d('maxIterations 1 on a hard case reports converged false instead of pretending', () => {
  const rng = new Rng(2);
  const x = Float64Array.from({ length: 100 * 30 }, (_, k) => (1 + 0.001 * (k % 30)) * rng.normal()); // nearly equal eigenvalues
  const result = pca2d(x, 100, 30, { maxIterations: 1 });
  assert.is(result.iterations, 1);
  assert.is(result.converged, false);
});

Pca2d.run();
