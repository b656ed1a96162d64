/** SimCLR's NT-Xent loss over the 2N embeddings of a batch of positive pairs. */
import * as tf from '@tensorflow/tfjs';
import { excludedLogit, l2NormalizeRows, maskDiagonal, maskedCrossEntropy } from './similarity';
import { FINITE_CHECK_DEFAULT, FiniteCheckOptions, assertFinite, validateEmbeddingPair, validateTemperature } from './validate';
import { withDefaults } from '../options';

export interface NTXentOptions extends FiniteCheckOptions {
  /** Softmax temperature τ > 0: a number, or a scalar tensor when τ is learned (its validity is then the caller's job). */
  temperature?: number | tf.Scalar;
}

export const NT_XENT_DEFAULTS: Required<NTXentOptions> = {
  temperature: 0.5, // SimCLR's CIFAR-10 setting, and the seed article's value
  checkFinite: FINITE_CHECK_DEFAULT, // no device sync per step
};

/**
 * Index of the positive of each of the 2N anchors in z = concat(z1, z2): anchor k pairs with k + N
 * (view 1) or k − N (view 2). @returns (2N,) int32.
 */
export function ntXentPositiveIndex(n: number): tf.Tensor1D {
  const index = new Int32Array(2 * n);
  for (let k = 0; k < 2 * n; k++) index[k] = (k + n) % (2 * n);
  return tf.tensor1d(index, 'int32');
}

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020, arXiv
 * 2002.05709, eq. 1). With z = concat(z1, z2) (2N rows), ẑ its L2-normalised rows, s_kl = ẑ_k · ẑ_l / τ
 * and p(k) = k ± N the positive of anchor k:
 *
 *   ℓ(k) = −log( e^{s_k,p(k)} / Σ_{l ≠ k} e^{s_kl} ),      L = (1/2N) Σ_{k=1}^{2N} ℓ(k)
 *
 * Each anchor sees 2N − 1 candidates: its positive and 2N − 2 negatives from both views. The self
 * similarity s_kk is excluded by setting it to a finite logit far below the rest (see
 * `excludedLogit`), so values and gradients stay finite. Range [0, ∞); log(2N − 1) when all embeddings
 * are equal. Stable at small τ (log-softmax subtracts the row maximum).
 *
 * Differentiable in z1 and z2: a custom loss, so train with `optimizer.minimize(() => ntXent(...))`
 * or `tf.variableGrads`, not `model.fit`.
 * @param z1 (N, D) float32, view 1 embeddings (any norm).  @param z2 (N, D) float32, view 2; row i pairs with z1 row i.
 * @returns scalar float32 (nats).
 */
export function ntXent(z1: tf.Tensor2D, z2: tf.Tensor2D, options?: NTXentOptions): tf.Scalar {
  const { temperature, checkFinite } = withDefaults(NT_XENT_DEFAULTS, options);
  if (typeof temperature === 'number') validateTemperature(temperature, 'ntXent');
  const { n } = validateEmbeddingPair(z1, z2, 'ntXent');
  if (checkFinite) assertFinite({ z1, z2 }, 'ntXent');
  return tf.tidy(() => {
    const z = l2NormalizeRows(tf.concat([z1, z2], 0)); // (2N, D)
    const similarity = tf.matMul(z, z, false, true) as tf.Tensor2D; // (2N, 2N) cosines in [-1, 1]
    // A number τ masks in logit units (see excludedLogit); a tensor τ masks the cosine with −1000, which is
    // ≤ −1000/τ ≤ −1000 in logit units for τ ≤ 1: zero softmax weight and zero gradient either way.
    const withoutSelf =
      typeof temperature === 'number'
        ? maskDiagonal(tf.div(similarity, temperature) as tf.Tensor2D, excludedLogit(temperature))
        : (tf.div(maskDiagonal(similarity, -1000), temperature) as tf.Tensor2D); // (2N, 2N)
    const targets = tf.cast(tf.oneHot(ntXentPositiveIndex(n), 2 * n), 'float32') as tf.Tensor2D; // (2N, 2N)
    return maskedCrossEntropy(withoutSelf, targets);
  });
}
