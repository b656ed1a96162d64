/** Top-1 contrastive accuracy: how often an anchor's positive beats every negative. */
import * as tf from '@tensorflow/tfjs';
import { l2NormalizeRows, maskDiagonal } from './similarity';
import { ntXentPositiveIndex } from './ntXent';
import { FINITE_CHECK_DEFAULT, FiniteCheckOptions, assertFinite, validateEmbeddingPair } from './validate';
import { withDefaults } from '../options';

/** Which candidates an anchor chooses from: those of NT-Xent (2N − 1) or those of symmetric InfoNCE (N). */
export type AccuracyScope = 'ntxent' | 'crossView';

export interface ContrastiveAccuracyOptions extends FiniteCheckOptions {
  scope?: AccuracyScope;
}

export const CONTRASTIVE_ACCURACY_DEFAULTS: Required<ContrastiveAccuracyOptions> = {
  scope: 'ntxent', // SimCLR's task, the harder of the two (more negatives, including same-view ones)
  checkFinite: FINITE_CHECK_DEFAULT, // no device sync per step
};

/** A cosine below every possible cosine in [−1, 1]: removes an entry from the max over negatives. */
const EXCLUDED_COSINE = -3;

/**
 * Top-1 contrastive accuracy: the fraction of the 2N anchors whose positive has a strictly higher
 * cosine similarity than every negative (ties count as wrong, so collapsed embeddings score 0, not
 * the index-order artefact of argmax). τ does not matter (the ranking is scale-free).
 *  - scope 'ntxent': anchors are the 2N rows of concat(z1, z2); candidates are the 2N − 1 others
 *    (positive k ± N), as in NT-Xent (Chen et al. 2020, arXiv 2002.05709). Chance level 1/(2N − 1).
 *  - scope 'crossView': anchor z1_i chooses among the N rows of z2, and z2_j among the N rows of z1,
 *    as in symmetric InfoNCE. Chance level 1/N.
 * Not differentiable (a metric). @param z1 (N, D) float32.  @param z2 (N, D) float32.
 * @returns scalar float32 in [0, 1].
 */
export function contrastiveAccuracy(z1: tf.Tensor2D, z2: tf.Tensor2D, options?: ContrastiveAccuracyOptions): tf.Scalar {
  const { scope, checkFinite } = withDefaults(CONTRASTIVE_ACCURACY_DEFAULTS, options);
  if (scope !== 'ntxent' && scope !== 'crossView') {
    throw new Error(`contrastiveAccuracy: scope must be 'ntxent' or 'crossView', got ${JSON.stringify(scope)}`);
  }
  const { n } = validateEmbeddingPair(z1, z2, 'contrastiveAccuracy');
  if (checkFinite) assertFinite({ z1, z2 }, 'contrastiveAccuracy');
  return tf.tidy(() => {
    if (scope === 'ntxent') {
      const z = l2NormalizeRows(tf.concat([z1, z2], 0)); // (2N, D)
      const cosine = maskDiagonal(tf.matMul(z, z, false, true) as tf.Tensor2D, EXCLUDED_COSINE); // (2N, 2N), self excluded
      const isPositive = tf.cast(tf.oneHot(ntXentPositiveIndex(n), 2 * n), 'bool'); // (2N, 2N)
      return fractionPositiveWins(cosine, isPositive);
    }
    const cosine = tf.matMul(l2NormalizeRows(z1), l2NormalizeRows(z2), false, true) as tf.Tensor2D; // (N, N): row i = anchor z1_i
    const isPositive = tf.cast(tf.eye(n), 'bool');
    const view1 = fractionPositiveWins(cosine, isPositive);
    const view2 = fractionPositiveWins(tf.transpose(cosine), isPositive); // row j = anchor z2_j
    return tf.div(tf.add(view1, view2), 2) as tf.Scalar;
  });
}

/** Fraction of rows whose positive entry is strictly above every other (non-excluded) entry. */
function fractionPositiveWins(cosine: tf.Tensor2D, isPositive: tf.Tensor): tf.Scalar {
  const positive = tf.sum(tf.where(isPositive, cosine, tf.zerosLike(cosine)), 1); // (M,) exact copy of one entry
  const hardestNegative = tf.max(tf.where(isPositive, tf.fill(cosine.shape, EXCLUDED_COSINE), cosine), 1); // (M,)
  return tf.mean(tf.cast(tf.greater(positive, hardestNegative), 'float32')) as tf.Scalar;
}
