/** The seed article's loss: symmetric InfoNCE between two views, N candidates per anchor. */
import * as tf from '@tensorflow/tfjs';
import { cosineLogits, maskedCrossEntropy } from './similarity';
import { FINITE_CHECK_DEFAULT, FiniteCheckOptions, assertFinite, validateEmbeddingPair, validateTemperature } from './validate';
import { withDefaults } from '../options';

export interface InfoNCEOptions extends FiniteCheckOptions {
  /** Softmax temperature τ > 0: a number, or a scalar tensor when τ is learned (its validity is then the caller's job). */
  temperature?: number | tf.Scalar;
}

export const INFO_NCE_DEFAULTS: Required<InfoNCEOptions> = {
  temperature: 0.5, // the seed article's value (info_nce(z1, z2, temp=0.5))
  checkFinite: FINITE_CHECK_DEFAULT, // no device sync per step
};

/**
 * Symmetric InfoNCE (van den Oord et al. 2018, arXiv 1807.03748, in the two-view form used by CLIP
 * and by the seed article's `info_nce`). With ẑ the L2-normalised rows and s_ij = ẑ1_i · ẑ2_j / τ:
 *
 *   L = ½ [ (1/N) Σ_i −log( e^{s_ii} / Σ_j e^{s_ij} )  +  (1/N) Σ_j −log( e^{s_jj} / Σ_i e^{s_ij} ) ]
 *
 * i.e. cross-entropy of the N×N logits with target = matching index, over rows (view 1 anchors
 * against view 2) and over columns (view 2 anchors against view 1), averaged. Each anchor sees N
 * candidates (1 positive, N−1 negatives), none from its own view. Range [0, ∞); log N when all
 * embeddings are equal.
 *
 * Differentiable in z1 and z2: a custom loss, so train with `optimizer.minimize(() => infoNCE(...))`
 * or `tf.variableGrads`, not `model.fit`.
 * @param z1 (N, D) float32, view 1 embeddings (any norm).  @param z2 (N, D) float32, view 2; row i pairs with z1 row i.
 * @returns scalar float32 (nats).
 */
export function infoNCE(z1: tf.Tensor2D, z2: tf.Tensor2D, options?: InfoNCEOptions): tf.Scalar {
  const { temperature, checkFinite } = withDefaults(INFO_NCE_DEFAULTS, options);
  if (typeof temperature === 'number') validateTemperature(temperature, 'infoNCE');
  const { n } = validateEmbeddingPair(z1, z2, 'infoNCE');
  if (checkFinite) assertFinite({ z1, z2 }, 'infoNCE');
  return tf.tidy(() => {
    const logits = cosineLogits(z1, z2, temperature); // (N, N): row i = anchor z1_i against all z2_j
    const targets = tf.eye(n) as tf.Tensor2D; // positive of anchor i is candidate i
    const view1Loss = maskedCrossEntropy(logits, targets);
    const view2Loss = maskedCrossEntropy(tf.transpose(logits), targets); // (N, N): row j = anchor z2_j
    return tf.div(tf.add(view1Loss, view2Loss), 2) as tf.Scalar;
  });
}
