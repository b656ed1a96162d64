/**
 * Which variables LARS leaves out of layer-wise adaptation and which ones no optimiser decays: biases and
 * normalisation parameters, as in SimCLR (`exclude_from_weight_decay=['batch_normalization', 'bias']`).
 */

/** Decides from a variable's name (and shape) whether a per-variable rule skips it. */
export type VariablePredicate = (variableName: string, shape: readonly number[]) => boolean;

/**
 * Name endings tf.layers (tfjs 4.22) gives biases and normalisation parameters, e.g. `dense_Dense1/bias`,
 * `conv2d_Conv2D1/bias`, `batch_normalization_BatchNormalization1/gamma`, `…/beta`,
 * `layer_normalization_LayerNormalization1/gamma`; a repeated layer name adds a suffix (`proj/bias_1`).
 */
const BIAS_OR_NORMALIZATION_NAME = /(^|\/)(bias|gamma|beta)(_\d+)?$/;

/**
 * True for biases and batch/layer-norm scale and offset: by name (tf.layers naming, see above, or a name
 * containing `batch_normalization` as SimCLR matches) or by shape (rank ≤ 1: every bias, γ, β and scalar,
 * whatever its name; weight matrices and conv kernels have rank ≥ 2).
 * @param variableName the tf.Variable's name.  @param shape its shape, when known.
 */
export function isBiasOrBatchNorm(variableName: string, shape?: readonly number[]): boolean {
  if (shape != null && shape.length <= 1) return true;
  return BIAS_OR_NORMALIZATION_NAME.test(variableName) || variableName.includes('batch_normalization');
}
