import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accuracyStandardError, comparePaired, mcnemarExact, formatPairedComparison, summarizeSeeds, formatSeedSummary } from '../../lib/probe/stats';
import { assertClose } from '../helpers';

/** The slow, obvious reference: exact binomial tail with BigInt binomial coefficients. */
function mcnemarReference(b: number, c: number): number {
  const m = b + c;
  if (m === 0) return 1;
  let choose = 1n;
  let tail = 0n;
  for (let k = 0; k <= Math.min(b, c); k++) {
    if (k > 0) choose = (choose * BigInt(m - k + 1)) / BigInt(k);
    tail += choose;
  }
  return Math.min(1, (2 * Number(tail)) / 2 ** m);
}

const McNemar = suite('mcnemarExact');

McNemar('known answers and the BigInt reference', () => {
  assertClose(mcnemarExact(10, 2), (2 * (1 + 12 + 66)) / 4096, { rtol: 1e-12 });
  assertClose(mcnemarExact(0, 7), 2 / 128, { rtol: 1e-12 });
  assert.is(mcnemarExact(5, 5), 1, 'a tie is capped at 1');
  assert.is(mcnemarExact(0, 0), 1, 'no discordant pair: no evidence');
  for (const [b, c] of [[3, 9], [20, 31], [40, 17], [1, 60], [100, 130], [300, 330]]) {
    assertClose(mcnemarExact(b, c), mcnemarReference(b, c), { rtol: 1e-9, atol: 1e-300 }, `${b}, ${c}`);
    assert.is(mcnemarExact(b, c), mcnemarExact(c, b), 'symmetric');
  }
});

McNemar('large counts agree with the continuity-corrected normal approximation in order of magnitude, without underflow', () => {
  const p = mcnemarExact(600, 400); // χ² = (200 − 1)²/1000 = 39.6 → p ≈ 3.1e-10
  assert.ok(p > 1e-10 && p < 1e-9, `p = ${p}`);
  assert.ok(mcnemarExact(5000, 4000) > 0, 'tiny but representable');
});

McNemar('bad counts are refused', () => {
  assert.throws(() => mcnemarExact(-1, 2), /non-negative integers/);
  assert.throws(() => mcnemarExact(1.5, 2), /non-negative integers/);
  assert.throws(() => accuracyStandardError(1.2, 10), /accuracy in \[0, 1\]/);
  assertClose(accuracyStandardError(0.8, 10000), 0.004, { rtol: 1e-12 });
});

McNemar.run();

const Paired = suite('comparePaired');

/** n items; A right on the first `a` items, B right on items [offset, offset + b). */
function scenario(n: number, a: number, b: number, offset: number) {
  const labels = new Int32Array(n).fill(1);
  const predictionsA = Int32Array.from({ length: n }, (_, i) => (i < a ? 1 : 0));
  const predictionsB = Int32Array.from({ length: n }, (_, i) => (i >= offset && i < offset + b ? 1 : 0));
  return { labels, predictionsA, predictionsB };
}

Paired('counts, accuracies, p-value and a bootstrap interval that matches the analytic paired standard error', () => {
  const { labels, predictionsA, predictionsB } = scenario(10000, 8500, 8300, 300); // both right on 300..8499
  const r = comparePaired(labels, predictionsA, predictionsB, { seed: 3 });
  assert.is(r.n, 10000);
  assert.is(r.accuracyA, 0.85);
  assert.is(r.accuracyB, 0.83);
  assert.is(r.onlyA, 300);
  assert.is(r.onlyB, 100);
  assertClose(r.difference, 0.02, { rtol: 1e-12 });
  assertClose(r.pValue, mcnemarReference(300, 100), { rtol: 1e-9, atol: 1e-300 });
  // Var(δ) = (b + c)/n − d² for δ ∈ {−1, 0, 1}: the standard error of the mean difference.
  const analytic = Math.sqrt((400 / 10000 - 0.02 ** 2) / 10000);
  assertClose(r.standardError, analytic, { rtol: 0.1 });
  assert.ok(r.ci95[0] < 0.02 && 0.02 < r.ci95[1], `${r.ci95}`);
  assertClose(r.ci95[1] - r.ci95[0], 2 * 1.96 * analytic, { rtol: 0.15 });
  assert.equal(comparePaired(labels, predictionsA, predictionsB, { seed: 3 }), r, 'deterministic for a seed');
});

Paired('swapping A and B mirrors everything', () => {
  const { labels, predictionsA, predictionsB } = scenario(2000, 1500, 1400, 200);
  const ab = comparePaired(labels, predictionsA, predictionsB, { seed: 1 });
  const ba = comparePaired(labels, predictionsB, predictionsA, { seed: 1 });
  assert.is(ba.difference, -ab.difference);
  assert.is(ba.pValue, ab.pValue);
  assert.equal([ba.onlyA, ba.onlyB], [ab.onlyB, ab.onlyA]);
  assertClose(ba.ci95, [-ab.ci95[1], -ab.ci95[0]], { atol: 1e-12 });
});

Paired('mismatched lengths are refused', () => {
  assert.throws(() => comparePaired([1, 2], [1], [1, 2]), /same positive number/);
  assert.throws(() => comparePaired([1, 2], [1, 2], [1, 2], { bootstrapSamples: 10 }), /bootstrapSamples/);
});

Paired.run();

const Format = suite('formatPairedComparison');

Format('difference in points, interval, p and the verdict at alpha (A better, B better, none)', () => {
  const labels = Array.from({ length: 200 }, (_, i) => i % 2);
  const right = labels.slice();
  const wrongOn = (k: number) => labels.map((y, i) => (i < k ? 1 - y : y));
  const better = comparePaired(labels, right, wrongOn(40));
  assert.match(formatPairedComparison('A', 'B', better), /^A vs B: \+20\.00 points, 95% interval \d+\.\d\d … \d+\.\d\d, McNemar p = \d\.\de-\d+ → A is better$/);
  assert.match(formatPairedComparison('B', 'A', comparePaired(labels, wrongOn(40), right)), /^B vs A: -20\.00 points.* → A is better$/);
  const close = comparePaired(labels, wrongOn(1), wrongOn(2));
  assert.match(formatPairedComparison('A', 'B', close), /→ no difference established \(p ≥ 0\.01\)$/);
  assert.match(formatPairedComparison('A', 'B', close, 0.5), /→ no difference established \(p ≥ 0\.5\)$|→ A is better$/);
  assert.throws(() => formatPairedComparison('A', 'B', close, 0), /alpha must be in \(0, 1\)/);
});

Format.run();

const Seeds = suite('summarizeSeeds');

Seeds('mean, sample sd (k − 1), range and per-side significance counts, checked by hand', () => {
  const labels = Array.from({ length: 200 }, (_, i) => i % 2);
  const right = labels.slice();
  const wrongOn = (k: number) => labels.map((y, i) => (i < k ? 1 - y : y));
  // Differences +0.20 (p tiny), +0.10 (p tiny), −0.005 (p = 1): mean 0.295/3, sd by hand.
  const cs = [comparePaired(labels, right, wrongOn(40)), comparePaired(labels, right, wrongOn(20)), comparePaired(labels, wrongOn(1), right)];
  const s = summarizeSeeds(cs);
  const d = [0.2, 0.1, -0.005];
  const mean = (0.2 + 0.1 - 0.005) / 3;
  assert.is(s.count, 3);
  assert.ok(Math.abs(s.meanDifference - mean) < 1e-12);
  assert.ok(Math.abs(s.sdDifference - Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / 2)) < 1e-12);
  assert.is(s.minDifference, -0.005);
  assert.is(s.maxDifference, 0.2);
  assert.is(s.significantForA, 2);
  assert.is(s.significantForB, 0);
  assert.match(formatSeedSummary('A', 'B', s), /^A vs B over 3 seeds: mean \+9\.83 points, sd 10\.25 \(range -0\.50 … \+20\.00\); p < 0\.01 for A in 2 of 3 seeds, for B in 0$/);
  const one = summarizeSeeds([cs[0]]);
  assert.is(one.sdDifference, 0);
  assert.match(formatSeedSummary('A', 'B', one), /over 1 seed:/);
  assert.is(summarizeSeeds([comparePaired(labels, wrongOn(40), right)]).significantForB, 1);
  assert.throws(() => summarizeSeeds([]), /at least one comparison/);
  assert.throws(() => summarizeSeeds(cs, 1), /alpha must be in \(0, 1\)/);
});

Seeds.run();
