/**
 * Building blocks shared by the contrastive losses: row L2 normalisation, cosine-similarity logits,
 * diagonal masking and a cross-entropy whose targets are given as a 0/1 mask. All differentiable.
 */
import * as tf from '@tensorflow/tfjs';

/** Norm floor of `l2NormalizeRows`, as in PyTorch's F.normalize (eps = 1e-12): a zero row stays zero instead of NaN. */
export const NORMALIZE_EPSILON = 1e-12;

/**
 * Divide each row by its Euclidean norm: x_i / max(||x_i||₂, ε), as PyTorch's F.normalize(x, dim=1).
 * Computed as x · rsqrt(max(Σx², ε²)), which keeps the gradient finite everywhere: a row with norm
 * below ε is simply scaled by 1/ε (value ≈ 0 for a zero row, gradient 1/ε = 1e12, as in PyTorch),
 * never sqrt'(0) = ∞. Rows with norm above ~1e19 overflow Σx² in float32.
 * @param z (N, D) float32.  @returns (N, D) float32, rows of unit norm (or zero).
 */
export function l2NormalizeRows(z: tf.Tensor2D, epsilon = NORMALIZE_EPSILON): tf.Tensor2D {
  return tf.tidy(() => {
    const squaredNorm = tf.sum(tf.square(z), 1, true); // (N, 1)
    return tf.mul(z, tf.rsqrt(tf.maximum(squaredNorm, epsilon * epsilon)));
  });
}

/**
 * Cosine-similarity logits s_ij = cos(a_i, b_j) / τ = (â_i · b̂_j) / τ.
 * @param a (N, D), b (M, D) float32, any norms.  @returns (N, M) float32 in [-1/τ, 1/τ].
 */
export function cosineLogits(a: tf.Tensor2D, b: tf.Tensor2D, temperature: number | tf.Scalar): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.matMul(l2NormalizeRows(a), l2NormalizeRows(b), false, true), temperature));
}

/**
 * Replace the diagonal of a square matrix by a finite `fill` value. With `fill` far below every other
 * entry, exp(fill − max) underflows to exactly 0, which removes the entry from a softmax while keeping
 * values and gradients finite (the diagonal receives gradient 0).
 * @param matrix (M, M) float32.  @returns (M, M) float32.
 */
export function maskDiagonal(matrix: tf.Tensor2D, fill: number): tf.Tensor2D {
  return tf.tidy(() => {
    const size = matrix.shape[0];
    const isDiagonal = tf.cast(tf.eye(size), 'bool');
    return tf.where(isDiagonal, tf.fill(matrix.shape, fill), matrix) as tf.Tensor2D;
  });
}

/**
 * A logit below every cosine logit in [-1/τ, 1/τ] by at least 1/τ + 1000, used to exclude an entry from
 * a softmax (exp(−1000) is 0 in float32 and float64). Finite, so gradients stay finite.
 */
export function excludedLogit(temperature: number): number {
  return -2 / temperature - 1000;
}

/**
 * Mean cross-entropy of softmax rows against one target per row given as a 0/1 mask:
 * −(1/M) Σ_i Σ_j mask_ij · log softmax(logits_i)_j. Stable: tf.logSoftmax subtracts the row maximum.
 * @param logits (M, K) float32.  @param targetMask (M, K) float32 with a single 1 per row.
 * @returns scalar float32 (nats).
 */
export function maskedCrossEntropy(logits: tf.Tensor2D, targetMask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), targetMask), 1))) as tf.Scalar);
}
