/** Wang & Isola's alignment and uniformity measures of contrastive representations. */
import * as tf from '@tensorflow/tfjs';
import { l2NormalizeRows, maskDiagonal } from './similarity';
import {
  FINITE_CHECK_DEFAULT, FiniteCheckOptions, assertFinite, validateEmbeddingPair, validateEmbeddings, validatePositiveFinite,
} from './validate';
import { withDefaults } from '../options';

export interface AlignmentOptions extends FiniteCheckOptions {
  /** Exponent α > 0 on the distance between positives. */
  alpha?: number;
}

export const ALIGNMENT_DEFAULTS: Required<AlignmentOptions> = {
  alpha: 2, // the paper's default (squared distance), smooth everywhere
  checkFinite: FINITE_CHECK_DEFAULT, // no device sync per step
};

/**
 * Alignment (Wang & Isola 2020, arXiv 2005.10242, eq. 4): the mean distance between positive pairs,
 *
 *   ℒ_align = (1/N) Σ_i ||ẑ1_i − ẑ2_i||₂^α,
 *
 * on L2-normalised rows ẑ. Lower is better; range [0, 2^α] (0 for identical views, 2^α for antipodal
 * ones). The gradient is finite (0) where a pair coincides, also for α < 1. For α < 1 the value is
 * sensitive to float32 rounding of nearly coinciding pairs (d^α has infinite slope at 0: a rounding
 * distance of 1e-7 contributes 1e-7^α); α ≥ 1 is accurate to float32 precision.
 * @param z1 (N, D) float32.  @param z2 (N, D) float32; row i pairs with z1 row i.  @returns scalar float32.
 */
export function alignment(z1: tf.Tensor2D, z2: tf.Tensor2D, options?: AlignmentOptions): tf.Scalar {
  const { alpha, checkFinite } = withDefaults(ALIGNMENT_DEFAULTS, options);
  validatePositiveFinite(alpha, 'alpha', 'alignment');
  validateEmbeddingPair(z1, z2, 'alignment');
  if (checkFinite) assertFinite({ z1, z2 }, 'alignment');
  return tf.tidy(() => {
    const difference = tf.sub(l2NormalizeRows(z1), l2NormalizeRows(z2)); // (N, D)
    const squaredDistance = tf.sum(tf.square(difference), 1); // (N,)
    if (alpha === 2) return tf.mean(squaredDistance) as tf.Scalar;
    return tf.mean(powerWithZeroGradientAtZero(squaredDistance, alpha / 2)) as tf.Scalar; // ||d||^α = (||d||²)^(α/2)
  });
}

/** x^p elementwise for x ≥ 0, with gradient p·x^(p−1) where x > 0 and 0 (not ∞·0 = NaN) where x = 0. */
function powerWithZeroGradientAtZero(x: tf.Tensor, power: number): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([input]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const isPositive = tf.greater(saved[0], 0);
      const safe = tf.where(isPositive, saved[0], tf.onesLike(saved[0])); // keeps 0^(p−1) out of the graph
      return tf.where(isPositive, tf.mul(dy, tf.mul(tf.pow(safe, power - 1), power)), tf.zerosLike(dy));
    };
    return { value: tf.pow(input, power), gradFunc };
  });
  return op(x);
}

export interface UniformityOptions extends FiniteCheckOptions {
  /** Scale t > 0 of the Gaussian potential exp(−t ||x − y||²). */
  t?: number;
}

export const UNIFORMITY_DEFAULTS: Required<UniformityOptions> = {
  t: 2, // the paper's default
  checkFinite: FINITE_CHECK_DEFAULT, // no device sync per step
};

/**
 * Uniformity (Wang & Isola 2020, arXiv 2005.10242, eq. 5): the log of the mean Gaussian potential over
 * distinct pairs of L2-normalised rows ẑ,
 *
 *   ℒ_uniform = log( (1/(N(N−1))) Σ_{i≠j} exp(−t ||ẑ_i − ẑ_j||₂²) ).
 *
 * Lower is more uniform. Bounds: ≤ 0 (= 0 when all rows coincide) and ≥ −2tN/(N−1) (Jensen and
 * Σ_{i,j} ||ẑ_i − ẑ_j||² = 2N² − 2||Σ ẑ_i||²; reached by a regular simplex). Computed as a
 * log-sum-exp over the off-diagonal entries minus log(N(N−1)), so large t does not underflow to log 0.
 * @param z (N, D) float32 (often z1 and z2 separately, or their concatenation).  @returns scalar float32.
 */
export function uniformity(z: tf.Tensor2D, options?: UniformityOptions): tf.Scalar {
  const { t, checkFinite } = withDefaults(UNIFORMITY_DEFAULTS, options);
  validatePositiveFinite(t, 't', 'uniformity');
  const { n } = validateEmbeddings(z, 'z', 'uniformity');
  if (checkFinite) assertFinite({ z }, 'uniformity');
  return tf.tidy(() => {
    const unit = l2NormalizeRows(z); // (N, D)
    const squaredNorm = tf.sum(tf.square(unit), 1, true); // (N, 1), 1 (or 0 for a zero row)
    const gram = tf.matMul(unit, unit, false, true); // (N, N)
    const squaredDistance = tf.sub(tf.add(squaredNorm, tf.transpose(squaredNorm)), tf.mul(gram, 2)); // (N, N) in [0, 4]
    // −t·d² lies in [−4t, 0]; the diagonal (i = j) is excluded with a finite value far below.
    const logPotential = maskDiagonal(tf.mul(squaredDistance, -t) as tf.Tensor2D, -8 * t - 1000);
    return tf.sub(tf.logSumExp(logPotential), Math.log(n * (n - 1))) as tf.Scalar;
  });
}
