/**
 * Float64 loop references for the contrastive losses, written straight from the papers' formulas with
 * plain JS numbers (no tfjs), plus input generators and a central-difference gradient. Not a test file.
 */
import { Rng } from '../../lib/rng';

export type Matrix = number[][];

/** Row i divided by max(||row i||, 1e-12), as F.normalize. */
export function normalizeRows(z: Matrix): Matrix {
  return z.map((row) => {
    let squared = 0;
    for (const v of row) squared += v * v;
    const norm = Math.max(Math.sqrt(squared), 1e-12);
    return row.map((v) => v / norm);
  });
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** log Σ exp(x_k), with the maximum subtracted. */
export function logSumExp(x: number[]): number {
  const m = Math.max(...x);
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** Symmetric InfoNCE: ½ [mean_i −log softmax_j(s_ij)[i] + mean_j −log softmax_i(s_ij)[j]], s_ij = ẑ1_i·ẑ2_j/τ. */
export function infoNCEReference(z1: Matrix, z2: Matrix, temperature: number): number {
  const a = normalizeRows(z1);
  const b = normalizeRows(z2);
  const n = a.length;
  const s = a.map((ai) => b.map((bj) => dot(ai, bj) / temperature));
  let rows = 0;
  let columns = 0;
  for (let i = 0; i < n; i++) {
    rows += logSumExp(s[i]) - s[i][i];
    columns += logSumExp(s.map((row) => row[i])) - s[i][i];
  }
  return (rows / n + columns / n) / 2;
}

/** NT-Xent (SimCLR eq. 1): mean over 2N anchors k of −log( e^{s_k,p(k)} / Σ_{l≠k} e^{s_kl} ), p(k) = k ± N. */
export function ntXentReference(z1: Matrix, z2: Matrix, temperature: number): number {
  const z = normalizeRows([...z1, ...z2]);
  const twoN = z.length;
  const n = twoN / 2;
  let total = 0;
  for (let k = 0; k < twoN; k++) {
    const others: number[] = [];
    for (let l = 0; l < twoN; l++) if (l !== k) others.push(dot(z[k], z[l]) / temperature);
    const positive = dot(z[k], z[(k + n) % twoN]) / temperature;
    total += logSumExp(others) - positive;
  }
  return total / twoN;
}

/** Alignment: mean_i ||ẑ1_i − ẑ2_i||^α. */
export function alignmentReference(z1: Matrix, z2: Matrix, alpha: number): number {
  const a = normalizeRows(z1);
  const b = normalizeRows(z2);
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    let squared = 0;
    for (let k = 0; k < a[i].length; k++) squared += (a[i][k] - b[i][k]) ** 2;
    total += Math.sqrt(squared) ** alpha;
  }
  return total / a.length;
}

/** Uniformity: log mean_{i<j} exp(−t ||ẑ_i − ẑ_j||²). */
export function uniformityReference(z: Matrix, t: number): number {
  const u = normalizeRows(z);
  const terms: number[] = [];
  for (let i = 0; i < u.length; i++) {
    for (let j = i + 1; j < u.length; j++) {
      let squared = 0;
      for (let k = 0; k < u[i].length; k++) squared += (u[i][k] - u[j][k]) ** 2;
      terms.push(-t * squared);
    }
  }
  return logSumExp(terms) - Math.log(terms.length);
}

/** Fraction of anchors whose positive's cosine is strictly above every negative's. */
export function accuracyReference(z1: Matrix, z2: Matrix, scope: 'ntxent' | 'crossView'): number {
  const n = z1.length;
  let correct = 0;
  if (scope === 'ntxent') {
    const z = normalizeRows([...z1, ...z2]);
    for (let k = 0; k < 2 * n; k++) {
      const p = (k + n) % (2 * n);
      const positive = dot(z[k], z[p]);
      let wins = true;
      for (let l = 0; l < 2 * n; l++) if (l !== k && l !== p && dot(z[k], z[l]) >= positive) wins = false;
      if (wins) correct++;
    }
    return correct / (2 * n);
  }
  const a = normalizeRows(z1);
  const b = normalizeRows(z2);
  for (const [anchors, candidates] of [[a, b], [b, a]]) {
    for (let i = 0; i < n; i++) {
      const positive = dot(anchors[i], candidates[i]);
      let wins = true;
      for (let j = 0; j < n; j++) if (j !== i && dot(anchors[i], candidates[j]) >= positive) wins = false;
      if (wins) correct++;
    }
  }
  return correct / (2 * n);
}

/** An (N, D) matrix of float32-representable standard normals (so tfjs sees exactly these numbers). */
export function randomMatrix(rng: Rng, n: number, d: number, scale = 1): Matrix {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => Math.fround(scale * rng.normal())));
}

/** Two correlated views: z2 = z1 + noise · ε, float32-representable. */
export function randomPair(rng: Rng, n: number, d: number, noise = 1): [Matrix, Matrix] {
  const z1 = randomMatrix(rng, n, d);
  const z2 = z1.map((row) => row.map((v) => Math.fround(v + noise * rng.normal())));
  return [z1, z2];
}

/** Central differences (f(x + h) − f(x − h)) / 2h of f(z1, z2) with respect to every entry of z1 and of z2. */
export function centralDifferenceGradient(f: (z1: Matrix, z2: Matrix) => number, z1: Matrix, z2: Matrix, step = 1e-6): [Matrix, Matrix] {
  const copy = (m: Matrix) => m.map((row) => row.slice());
  const gradientOf = (which: 0 | 1): Matrix => {
    const base = which === 0 ? z1 : z2;
    return base.map((row, i) => row.map((_, k) => {
      const plus = copy(base);
      const minus = copy(base);
      plus[i][k] += step;
      minus[i][k] -= step;
      const fPlus = which === 0 ? f(plus, z2) : f(z1, plus);
      const fMinus = which === 0 ? f(minus, z2) : f(z1, minus);
      return (fPlus - fMinus) / (2 * step);
    }));
  };
  return [gradientOf(0), gradientOf(1)];
}

/** Largest absolute entry, for tolerances scaled to a gradient's size. */
export function maxAbs(m: Matrix): number {
  let best = 0;
  for (const row of m) for (const v of row) best = Math.max(best, Math.abs(v));
  return best;
}
