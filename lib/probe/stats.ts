/**
 * The uncertainty of an accuracy and of a difference of accuracies measured on the same test set.
 *
 * Two classifiers scored on the same n test images are paired: their errors are correlated, so the standard
 * error of the difference is not √(se_A² + se_B²). The paired tools here use only the discordant images:
 * - McNemar's exact test (McNemar 1947; the exact binomial form, Edwards 1948): under H0 "equally accurate",
 *   each of the b + c images that exactly one classifier gets right is A's with probability 1/2, so
 *   p = min(1, 2 · P[X ≤ min(b, c)]) with X ~ Binomial(b + c, 1/2).
 * - A paired bootstrap (Efron & Tibshirani 1993, §16): resample test images with replacement, recompute
 *   acc_A − acc_B, and take the 2.5th and 97.5th percentiles as a 95% interval.
 */
import { Rng } from '../rng';

/** Binomial standard error of an accuracy p measured on n items: √(p(1 − p)/n). */
export function accuracyStandardError(accuracy: number, n: number): number {
  if (!(accuracy >= 0 && accuracy <= 1) || !(Number.isInteger(n) && n > 0)) {
    throw new Error(`accuracyStandardError: need an accuracy in [0, 1] and a positive integer count, got ${accuracy} and ${n}`);
  }
  return Math.sqrt((accuracy * (1 - accuracy)) / n);
}

/** log(k!) for k = 0..n, by cumulative sums (exact to rounding, no overflow). */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}

/**
 * Two-sided p-value of McNemar's exact test from the discordant counts: `onlyA` items A got right and B wrong,
 * `onlyB` the reverse. p = min(1, 2 · Σ_{k ≤ min} C(m, k) / 2^m), m = onlyA + onlyB; 1 when m = 0.
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  if (!Number.isInteger(onlyA) || !Number.isInteger(onlyB) || onlyA < 0 || onlyB < 0) {
    throw new Error(`mcnemarExact: discordant counts must be non-negative integers, got ${onlyA} and ${onlyB}`);
  }
  const m = onlyA + onlyB;
  if (m === 0) return 1;
  const low = Math.min(onlyA, onlyB);
  const lf = logFactorials(m);
  const logHalfPow = -m * Math.LN2;
  let tail = 0;
  for (let k = 0; k <= low; k++) tail += Math.exp(lf[m] - lf[k] - lf[m - k] + logHalfPow);
  return Math.min(1, 2 * tail);
}

/** A paired comparison of two classifiers on the same labelled test set. */
export interface PairedComparison {
  n: number;
  accuracyA: number;
  accuracyB: number;
  /** accuracyA − accuracyB. */
  difference: number;
  /** Items only A classified correctly, and only B. */
  onlyA: number;
  onlyB: number;
  /** McNemar's exact two-sided p-value for "A and B are equally accurate". */
  pValue: number;
  /** 95% paired-bootstrap interval of the difference. */
  ci95: [number, number];
  /** Standard error of the difference from the same bootstrap samples. */
  standardError: number;
}

export interface PairedComparisonOptions {
  /** Bootstrap resamples (default 2000: the 95% interval's ends move by ~0.1 point between seeds at n = 10⁴). */
  bootstrapSamples?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

/**
 * Compare predictions A and B of the same n test items against their labels: both accuracies, the difference,
 * McNemar's exact p-value and a paired-bootstrap 95% interval and standard error of the difference.
 */
export function comparePaired(labels: ArrayLike<number>, predictionsA: ArrayLike<number>, predictionsB: ArrayLike<number>, options: PairedComparisonOptions = {}): PairedComparison {
  const { bootstrapSamples = 2000, seed = 0 } = options;
  const n = labels.length;
  if (n === 0 || predictionsA.length !== n || predictionsB.length !== n) {
    throw new Error(`comparePaired: need the same positive number of labels and of each classifier's predictions, got ${n}, ${predictionsA.length}, ${predictionsB.length}`);
  }
  if (!Number.isInteger(bootstrapSamples) || bootstrapSamples < 100) throw new Error(`comparePaired: bootstrapSamples must be an integer >= 100, got ${bootstrapSamples}`);
  // Per item: +1 only A right, −1 only B right, 0 both or neither. The difference of accuracies is their mean.
  const delta = new Int8Array(n);
  let correctA = 0;
  let correctB = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < n; i++) {
    const a = predictionsA[i] === labels[i];
    const b = predictionsB[i] === labels[i];
    correctA += a ? 1 : 0;
    correctB += b ? 1 : 0;
    if (a && !b) { delta[i] = 1; onlyA++; }
    if (b && !a) { delta[i] = -1; onlyB++; }
  }
  const rng = new Rng(seed);
  const differences = new Float64Array(bootstrapSamples);
  for (let s = 0; s < bootstrapSamples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += delta[Math.floor(rng.next() * n)];
    differences[s] = sum / n;
  }
  differences.sort();
  const mean = differences.reduce((a, b) => a + b, 0) / bootstrapSamples;
  const variance = differences.reduce((a, d) => a + (d - mean) ** 2, 0) / (bootstrapSamples - 1);
  const at = (q: number) => differences[Math.min(bootstrapSamples - 1, Math.max(0, Math.round(q * (bootstrapSamples - 1))))];
  return {
    n, accuracyA: correctA / n, accuracyB: correctB / n, difference: (correctA - correctB) / n, onlyA, onlyB,
    pValue: mcnemarExact(onlyA, onlyB), ci95: [at(0.025), at(0.975)], standardError: Math.sqrt(variance),
  };
}

/**
 * One line reading a paired comparison: the difference in points, its 95% paired-bootstrap interval, McNemar's p and
 * the verdict at level `alpha` (default 0.01): "A is better", "B is better", or "no difference established". E.g.
 * `SimCLR h vs untrained: +3.18 points, 95% interval 2.50 … 3.84, McNemar p = 3.0e-20 → SimCLR h is better`.
 */
export function formatPairedComparison(nameA: string, nameB: string, comparison: PairedComparison, alpha = 0.01): string {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`formatPairedComparison: alpha must be in (0, 1), got ${alpha}`);
  const points = (x: number) => (100 * x).toFixed(2);
  const { difference: d, ci95, pValue } = comparison;
  const verdict = pValue < alpha ? `${d > 0 ? nameA : nameB} is better` : `no difference established (p ≥ ${alpha})`;
  return `${nameA} vs ${nameB}: ${d >= 0 ? '+' : ''}${points(d)} points, 95% interval ${points(ci95[0])} … ${points(ci95[1])}, McNemar p = ${pValue.toExponential(1)} → ${verdict}`;
}

/** One paired comparison repeated over independently trained seeds (see summarizeSeeds). */
export interface SeedSummary {
  /** Number of seeds k. */
  count: number;
  /** Mean difference d̄ = (1/k) Σ d_i (accuracy A − accuracy B, as a fraction). */
  meanDifference: number;
  /** Sample standard deviation of the differences, √(Σ (d_i − d̄)² / (k − 1)); 0 for one seed. */
  sdDifference: number;
  minDifference: number;
  maxDifference: number;
  /** Seeds whose own paired test reached p < alpha in A's favour. */
  significantForA: number;
  /** Seeds whose own paired test reached p < alpha in B's favour. */
  significantForB: number;
  alpha: number;
}

/**
 * Summarise a paired comparison repeated with independent training runs (one seed per run: initial weights, batch
 * order and views): the mean and sample standard deviation of the differences d_i, their range, and in how many
 * seeds the comparison alone reached p < alpha for each side. A single run's paired test holds the trained models
 * fixed and sees only test-set noise; the spread across seeds adds the training run's own variance (Bouthillier et
 * al. 2021, "Accounting for Variance in Machine Learning Benchmarks", MLSys).
 * @throws on no comparisons or alpha outside (0, 1).
 */
export function summarizeSeeds(comparisons: PairedComparison[], alpha = 0.01): SeedSummary {
  if (comparisons.length === 0) throw new Error('summarizeSeeds: need at least one comparison');
  if (!(alpha > 0 && alpha < 1)) throw new Error(`summarizeSeeds: alpha must be in (0, 1), got ${alpha}`);
  const d = comparisons.map((c) => c.difference);
  const k = d.length;
  const mean = d.reduce((a, b) => a + b, 0) / k;
  const sd = k > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / (k - 1)) : 0;
  return {
    count: k, meanDifference: mean, sdDifference: sd, minDifference: Math.min(...d), maxDifference: Math.max(...d),
    significantForA: comparisons.filter((c) => c.pValue < alpha && c.difference > 0).length,
    significantForB: comparisons.filter((c) => c.pValue < alpha && c.difference < 0).length,
    alpha,
  };
}

/**
 * One line reading a SeedSummary, e.g. `mlp h vs no-head h over 3 seeds: mean +8.12 points, sd 0.61 (range +7.40 …
 * +8.90); p < 0.01 for mlp h in 3 of 3 seeds, for no-head h in 0`.
 */
export function formatSeedSummary(nameA: string, nameB: string, summary: SeedSummary): string {
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;
  const { count, meanDifference, sdDifference, minDifference, maxDifference, significantForA, significantForB, alpha } = summary;
  return `${nameA} vs ${nameB} over ${count} seed${count === 1 ? '' : 's'}: mean ${signed(meanDifference)} points, sd ${(100 * sdDifference).toFixed(2)} `
    + `(range ${signed(minDifference)} … ${signed(maxDifference)}); p < ${alpha} for ${nameA} in ${significantForA} of ${count} seeds, for ${nameB} in ${significantForB}`;
}
