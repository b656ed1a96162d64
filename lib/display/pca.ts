/** Principal component analysis to two dimensions, in float64 JavaScript, for embedding scatter plots. */
import { Rng } from '../rng';
import { describeValue, isArrayLikeOfNumbers } from './internal';
import { checkPositiveInteger, withDefaults } from '../options';

export interface Pca2dOptions {
  /** Most subspace iterations before giving up (the result is then reported with converged false). */
  maxIterations?: number;
  /** Converged when ‖C v − λ v‖ ≤ tolerance · λ₁ for both components. */
  tolerance?: number;
  /** Seed of the random start of the subspace iteration (the result does not depend on it once converged). */
  seed?: number;
}

export const PCA_2D_DEFAULTS: Required<Pca2dOptions> = {
  maxIterations: 1000, // the subspace of 8 converges in tens of steps unless eigenvalues 2 and 9 nearly tie
  tolerance: 1e-10, // near float64 round-off for well-separated eigenvalues
  seed: 0, // deterministic
};

/** The two leading principal components of N points in D dimensions and the points' coordinates along them. */
export interface Pca2d {
  /** (N, 2) row-major: point i is at (coordinates[2i], coordinates[2i+1]) = ((x_i − mean)·v₁, (x_i − mean)·v₂). */
  coordinates: Float64Array;
  /** v₁, v₂: orthonormal (D,) eigenvectors of the covariance, each signed so its largest-magnitude entry is positive. */
  components: [Float64Array, Float64Array];
  /** λ₁ ≥ λ₂: the covariance eigenvalues (variance of each coordinate, denominator N − 1). */
  variances: [number, number];
  /** λ_k / trace(C): the fraction of the total variance each component explains (0 when the total is 0). */
  varianceRatio: [number, number];
  /** (D,) the mean that was subtracted. */
  mean: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Size of the iterated subspace: more than 2 so convergence goes as (λ₉/λ₂)^k rather than (λ₃/λ₂)^k. */
const SUBSPACE = 8;

/**
 * PCA to 2-D (Pearson 1901; Hotelling 1933). Centres the rows, C = XᵀX / (N − 1), and finds C's two leading
 * eigenvectors by subspace (orthogonal) iteration with Rayleigh–Ritz (Golub & Van Loan §8.2): V ← orth(C V),
 * rotated each step to the eigenvectors of VᵀCV. C is formed when D ≤ N (cost N·D²/2), otherwise applied as
 * Xᵀ(X v) / (N − 1). All arithmetic in float64. Deterministic for a given seed; sign-normalised components.
 * @param features (N, D) row-major, e.g. `await h.data()` of an (N, D) embedding tensor.
 */
export function pca2d(features: ArrayLike<number>, n: number, dim: number, options?: Pca2dOptions): Pca2d {
  const caller = 'pca2d';
  checkPositiveInteger(`${caller}: n`, n);
  checkPositiveInteger(`${caller}: dim`, dim);
  if (n < 2 || dim < 2) throw new Error(`${caller}: needs at least 2 points in at least 2 dimensions, got n ${n}, dim ${dim}`);
  if (!isArrayLikeOfNumbers(features) || features.length !== n * dim) {
    throw new Error(`${caller}: features must hold n·dim = ${n * dim} numbers, got ${describeValue(features)}`);
  }
  const { maxIterations, tolerance, seed } = withDefaults(PCA_2D_DEFAULTS, options);
  checkPositiveInteger(`${caller}: maxIterations`, maxIterations);
  if (!(tolerance > 0)) throw new Error(`${caller}: tolerance must be > 0, got ${describeValue(tolerance)}`);

  for (let i = 0; i < n * dim; i++) {
    if (!Number.isFinite(features[i])) throw new Error(`${caller}: features must be finite, element ${i} is ${features[i]}`);
  }
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const centred = new Float64Array(n * dim); // (N, D)
  let totalVariance = 0;
  for (let i = 0; i < n * dim; i++) {
    const value = features[i] - mean[i % dim];
    centred[i] = value;
    totalVariance += value * value;
  }
  totalVariance /= n - 1; // trace(C)
  const applyCovariance = dim <= n ? formedCovariance(centred, n, dim) : implicitCovariance(centred, n, dim);

  const p = Math.min(SUBSPACE, dim);
  const rng = new Rng(seed);
  let basis = orthonormalize(Array.from({ length: p }, () => Float64Array.from({ length: dim }, () => rng.normal())), rng);
  let ritzVectors = basis;
  let ritzValues = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const images = basis.map(applyCovariance); // C V, p × (D,)
    const projected = basis.map((v) => images.map((w) => dot(v, w))); // Vᵀ C V (p, p)
    const { values, vectors } = symmetricEigen(projected);
    ritzValues = values;
    ritzVectors = combine(basis, vectors); // V R: Ritz vectors, descending Ritz values
    const ritzImages = combine(images, vectors); // C V R
    const scale = Math.max(values[0], 0);
    converged = [0, 1].every((k) => {
      let residual = 0;
      for (let j = 0; j < dim; j++) residual += (ritzImages[k][j] - values[k] * ritzVectors[k][j]) ** 2;
      return Math.sqrt(residual) <= tolerance * scale || scale === 0;
    });
    basis = orthonormalize(ritzImages, rng);
  }
  const components: [Float64Array, Float64Array] = [signNormalized(ritzVectors[0]), signNormalized(ritzVectors[1])];
  const coordinates = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      let sum = 0;
      for (let j = 0; j < dim; j++) sum += centred[i * dim + j] * components[k][j];
      coordinates[2 * i + k] = sum;
    }
  }
  const variances: [number, number] = [Math.max(ritzValues[0], 0), Math.max(ritzValues[1], 0)];
  const varianceRatio: [number, number] = totalVariance > 0 ? [variances[0] / totalVariance, variances[1] / totalVariance] : [0, 0];
  return { coordinates, components, variances, varianceRatio, mean, iterations, converged };
}

/** v ↦ C v with C = XᵀX / (N − 1) formed once (upper triangle accumulated row by row, then mirrored). */
function formedCovariance(centred: Float64Array, n: number, dim: number): (v: Float64Array) => Float64Array {
  const covariance = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    for (let a = 0; a < dim; a++) {
      const xa = centred[row + a];
      if (xa === 0) continue;
      const out = a * dim;
      for (let b = a; b < dim; b++) covariance[out + b] += xa * centred[row + b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      covariance[a * dim + b] /= n - 1;
      covariance[b * dim + a] = covariance[a * dim + b];
    }
  }
  return (v) => {
    const out = new Float64Array(dim);
    for (let a = 0; a < dim; a++) {
      let sum = 0;
      for (let b = 0; b < dim; b++) sum += covariance[a * dim + b] * v[b];
      out[a] = sum;
    }
    return out;
  };
}

/** v ↦ Xᵀ(X v) / (N − 1) without forming C (cheaper when D > N). */
function implicitCovariance(centred: Float64Array, n: number, dim: number): (v: Float64Array) => Float64Array {
  return (v) => {
    const out = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      let projection = 0;
      for (let j = 0; j < dim; j++) projection += centred[i * dim + j] * v[j];
      projection /= n - 1;
      for (let j = 0; j < dim; j++) out[j] += projection * centred[i * dim + j];
    }
    return out;
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Columns of V R: out[k] = Σ_j vectors[j] · R[j][k]. */
function combine(vectors: Float64Array[], rotation: number[][]): Float64Array[] {
  return rotation[0].map((_, k) => {
    const out = new Float64Array(vectors[0].length);
    vectors.forEach((v, j) => { const r = rotation[j][k]; for (let i = 0; i < out.length; i++) out[i] += r * v[i]; });
    return out;
  });
}

/**
 * Modified Gram–Schmidt, applied twice ("twice is enough", Kahan/Parlett). A vector that vanishes (the data has
 * fewer directions than the subspace) is replaced by a fresh random one, so the basis stays orthonormal.
 */
function orthonormalize(vectors: Float64Array[], rng: Rng): Float64Array[] {
  const out: Float64Array[] = [];
  for (const original of vectors) {
    let v = Float64Array.from(original);
    const size = Math.sqrt(dot(v, v));
    for (let attempt = 0; ; attempt++) {
      for (let pass = 0; pass < 2; pass++) for (const q of out) { const c = dot(q, v); for (let i = 0; i < v.length; i++) v[i] -= c * q[i]; }
      const norm = Math.sqrt(dot(v, v));
      if (norm > 1e-12 * Math.max(size, 1e-300) && norm > 1e-300) { for (let i = 0; i < v.length; i++) v[i] /= norm; break; }
      if (attempt > 10) throw new Error('pca2d: could not complete an orthonormal basis (internal error)');
      v = Float64Array.from({ length: v.length }, () => rng.normal());
    }
    out.push(v);
  }
  return out;
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix: eigenvalues descending, eigenvectors as columns. */
function symmetricEigen(matrix: number[][]): { values: Float64Array; vectors: number[][] } {
  const m = matrix.length;
  const a = matrix.map((row, i) => row.map((v, j) => (v + matrix[j][i]) / 2)); // symmetrise round-off
  const q: number[][] = a.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += a[i][j] ** 2;
    if (off <= 1e-30 * a.reduce((s, row, i) => s + row[i] ** 2, 1e-300)) break;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        if (a[i][j] === 0) continue;
        const theta = (a[j][j] - a[i][i]) / (2 * a[i][j]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) { const x = a[k][i], y = a[k][j]; a[k][i] = c * x - s * y; a[k][j] = s * x + c * y; }
        for (let k = 0; k < m; k++) { const x = a[i][k], y = a[j][k]; a[i][k] = c * x - s * y; a[j][k] = s * x + c * y; }
        for (let k = 0; k < m; k++) { const x = q[k][i], y = q[k][j]; q[k][i] = c * x - s * y; q[k][j] = s * x + c * y; }
      }
    }
  }
  const order = a.map((row, i) => i).sort((x, y) => a[y][y] - a[x][x]);
  return { values: Float64Array.from(order, (i) => a[i][i]), vectors: q.map((row) => order.map((i) => row[i])) };
}

/** Flip the sign so the largest-magnitude entry is positive (the first such entry on ties). */
function signNormalized(vector: Float64Array): Float64Array {
  let largest = 0;
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]) > Math.abs(vector[largest])) largest = i;
  return vector[largest] < 0 ? vector.map((v) => -v) : Float64Array.from(vector);
}
