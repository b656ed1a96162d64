/**
 * Multinomial logistic regression (softmax regression) with L2 regularisation, fitted exactly in float64
 * by L-BFGS: the classifier of the linear-evaluation protocol (SimCLR, Chen et al. 2020, arXiv 2002.05709, transfer-learning appendix,
 * use L-BFGS-trained logistic regression on frozen features for the transfer benchmarks).
 */
import { minimizeLbfgs, LbfgsStopReason } from './lbfgs';
import { linearScores, accumulateResidualProduct } from './matmul';
import { FeatureMatrix, validateFeatureMatrix, validateLabels } from './validate';
import { withDefaults } from '../options';
import { nativeSoftmaxRegressionObjective } from '../kernels/nativeProbe';

export interface LogisticRegressionOptions {
  /** λ in the objective (1/n) Σ_i CE_i + (λ/2)‖W‖²_F; the bias is not penalised (as scikit-learn).
   * 1e-4: weak, so the probe measures what the features hold, yet > 0 so the optimum is unique and finite
   * on separable data. (scikit-learn's C relates as λ = 1/(C·n).) */
  l2?: number;
  /** L-BFGS iteration cap. 1000: standardised features of D ≤ 1000 converge well before it. */
  maxIterations?: number;
  /** Stop when the ∞-norm of the objective's gradient ≤ tolerance. 1e-5: accuracies no longer move. */
  tolerance?: number;
  /** Number of classes C; default max label + 1. Pass it when a class may be absent from the labels. */
  numClasses?: number;
  /** Where L-BFGS starts (default W = 0, b = 0): e.g. the solution at a nearby λ, which a regularisation path
   * (glmnet's warm starts, Friedman, Hastie & Tibshirani 2010) reaches in fewer iterations. The objective is
   * convex, so a converged fit does not depend on the start beyond the tolerance. Must be C × D weights and C biases. */
  start?: { weights: ArrayLike<number>; bias: ArrayLike<number> };
}

/** A fitted softmax classifier: scores = W x + b, W (C, D) row-major, b (C). */
export interface LogisticRegressionModel {
  weights: Float64Array;
  bias: Float64Array;
  numClasses: number;
  dim: number;
  /** The λ used. */
  l2: number;
  /** Final value of the regularised mean cross-entropy (nats). */
  finalLoss: number;
  /** ∞-norm of the objective's gradient at the solution (≈ 0 at the optimum). */
  gradientNorm: number;
  iterations: number;
  converged: boolean;
  stopReason: LbfgsStopReason;
  /** argmax_c (W x + b)_c per row; ties go to the lower class index. (n, D) → (n). */
  predict(features: FeatureMatrix): Int32Array;
}

const DEFAULTS = { l2: 1e-4, maxIterations: 1000, tolerance: 1e-5 };

/**
 * Objective and gradient of softmax regression, in float64:
 * L(W, b) = (1/n) Σ_i [logsumexp_c(s_ic) − s_{i,y_i}] + (λ/2)‖W‖²_F,  s_ic = W_c·x_i + b_c;
 * ∂L/∂W_c = (1/n) Σ_i (p_ic − [y_i = c]) x_i + λ W_c,  ∂L/∂b_c = (1/n) Σ_i (p_ic − [y_i = c]).
 * Two paths, each deterministic to the bit: the native addon's (lib/native/softmax_regression.cc, all cores; 7× faster
 * on one core, 12× on two, at n = 8,000, D = 128, C = 10 here) whenever it is built, whatever the tfjs backend; otherwise
 * this file's JavaScript, the reference. They agree to ~1e-12 relative, not bit for bit (summation order).
 * `useNativeProbeObjective(false)` (lib/kernels/nativeProbe) or SIMCLR_NATIVE_PROBE=0 forces the JavaScript path.
 * @param parameters [W (C·D, row-major), b (C)].  @param gradient written, same layout.  @returns L.
 * @throws when the lengths of features, labels, parameters or gradient disagree with (n, D, C); the native path also
 *   on a label outside [0, C).
 */
export function softmaxRegressionObjective(
  parameters: Float64Array, gradient: Float64Array, train: FeatureMatrix, labels: ArrayLike<number>, numClasses: number, l2: number,
): number {
  const { features, dim, count } = train;
  const size = numClasses * dim + numClasses;
  if (features.length !== count * dim || labels.length !== count || parameters.length !== size || gradient.length !== size) {
    throw new Error(`softmaxRegressionObjective: expected ${count} × ${dim} features, ${count} labels and ${numClasses} × ${dim} + ${numClasses} = ${size} parameters and gradient values, got ${features.length}, ${labels.length}, ${parameters.length} and ${gradient.length}`);
  }
  const native = nativeSoftmaxRegressionObjective();
  if (native) return native(features, int32Labels(labels), dim, numClasses, l2, parameters, gradient, 0);
  return javascriptObjective(parameters, gradient, train, labels, numClasses, l2);
}

/** `labels` as an Int32Array (itself when it is one), for the addon. */
function int32Labels(labels: ArrayLike<number>): Int32Array {
  if (labels instanceof Int32Array) return labels;
  const converted = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isInteger(labels[i])) throw new Error(`softmaxRegressionObjective: label ${labels[i]} of sample ${i} is not a class index`);
    converted[i] = labels[i];
  }
  return converted;
}

/** The JavaScript path of softmaxRegressionObjective (the reference): same arguments, lengths already checked. */
function javascriptObjective(
  parameters: Float64Array, gradient: Float64Array, train: FeatureMatrix, labels: ArrayLike<number>, numClasses: number, l2: number,
): number {
  const { features, dim, count } = train;
  const C = numClasses;
  const biasOffset = C * dim;
  const weights = parameters.subarray(0, biasOffset);
  const residuals = new Float64Array(count * C); // (n, C): scores, then p_ic − [y_i = c]
  linearScores(features, count, dim, weights, parameters.subarray(biasOffset), C, residuals);
  gradient.fill(0);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const row = i * C;
    let maxScore = -Infinity;
    for (let c = 0; c < C; c++) if (residuals[row + c] > maxScore) maxScore = residuals[row + c];
    let sumExp = 0;
    for (let c = 0; c < C; c++) sumExp += Math.exp(residuals[row + c] - maxScore);
    const logSumExp = maxScore + Math.log(sumExp);
    const label = labels[i];
    loss += logSumExp - residuals[row + label];
    for (let c = 0; c < C; c++) {
      const residual = Math.exp(residuals[row + c] - logSumExp) - (c === label ? 1 : 0);
      residuals[row + c] = residual;
      gradient[biasOffset + c] += residual;
    }
  }
  accumulateResidualProduct(residuals, features, count, dim, C, gradient.subarray(0, biasOffset));
  loss /= count;
  let squaredNorm = 0;
  for (let k = 0; k < gradient.length; k++) gradient[k] /= count;
  for (let k = 0; k < biasOffset; k++) {
    squaredNorm += parameters[k] * parameters[k];
    gradient[k] += l2 * parameters[k];
  }
  return loss + 0.5 * l2 * squaredNorm;
}

/**
 * Fit softmax regression on (n, D) features to convergence with L-BFGS from W = 0, b = 0 (or `options.start`).
 * The objective is convex (strictly, in W, for λ > 0), so the optimum reached does not depend on the start
 * (to the tolerance) and the result is bit-for-bit deterministic for a given start and objective path (see
 * softmaxRegressionObjective: native or JavaScript, whose fits agree to the tolerance, not bit for bit). Cost per
 * objective call ≈ 2·n·D·C multiply-adds (8k × 128 × 10: 18 ms in JavaScript here, 2.5 ms native on one core, 1.4 on
 * two); L-BFGS makes about one per iteration. Needs at least two classes among the labels.
 * @param train (n, D) features, standardised for a well-conditioned problem.  @param labels n class indices.
 */
export function fitLogisticRegression(train: FeatureMatrix, labels: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticRegressionModel {
  const { l2, maxIterations, tolerance, numClasses: requestedClasses } = withDefaults(DEFAULTS, options);
  const { start } = options;
  validateFeatureMatrix(train, 'fitLogisticRegression features');
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new Error(`fitLogisticRegression: l2 must be a finite number ≥ 0, got ${l2}`);
  if (requestedClasses !== undefined && (!Number.isInteger(requestedClasses) || requestedClasses < 2)) {
    throw new Error(`fitLogisticRegression: numClasses must be an integer ≥ 2, got ${requestedClasses}`);
  }
  const impliedClasses = validateLabels(labels, train.count, 'fitLogisticRegression labels', requestedClasses);
  const numClasses = requestedClasses ?? impliedClasses;
  const distinct = new Set<number>();
  for (let i = 0; i < labels.length && distinct.size < 2; i++) distinct.add(labels[i]);
  if (distinct.size < 2) {
    throw new Error(`fitLogisticRegression: the training labels hold only one class (${labels[0]}); a classifier needs at least two`);
  }
  const { dim } = train;
  const x0 = new Float64Array(numClasses * dim + numClasses);
  if (start) {
    if (start.weights.length !== numClasses * dim || start.bias.length !== numClasses) {
      throw new Error(`fitLogisticRegression: start must hold ${numClasses} × ${dim} weights and ${numClasses} biases, got ${start.weights.length} and ${start.bias.length}`);
    }
    x0.set(start.weights);
    x0.set(start.bias, numClasses * dim);
    if (!x0.every(Number.isFinite)) throw new Error('fitLogisticRegression: start holds a non-finite number');
  }
  const classIndices = Int32Array.from(labels); // validated above; converted once, not per objective call
  const objective = (x: Float64Array, g: Float64Array) => softmaxRegressionObjective(x, g, train, classIndices, numClasses, l2);
  const result = minimizeLbfgs(objective, x0, { maxIterations, tolerance });
  const weights = result.x.slice(0, numClasses * dim);
  const bias = result.x.slice(numClasses * dim);
  return {
    weights, bias, numClasses, dim, l2,
    finalLoss: result.value,
    gradientNorm: result.gradientNorm,
    iterations: result.iterations,
    converged: result.converged,
    stopReason: result.stopReason,
    predict: (features) => predictLinear(weights, bias, numClasses, dim, features),
  };
}

/** argmax_c (W x_i + b)_c for each row of `features`; ties go to the lower class index. */
function predictLinear(weights: Float64Array, bias: Float64Array, numClasses: number, dim: number, matrix: FeatureMatrix): Int32Array {
  validateFeatureMatrix(matrix, 'predict features');
  if (matrix.dim !== dim) throw new Error(`predict: the model was fitted on D = ${dim}, features have D = ${matrix.dim}`);
  const scores = new Float64Array(matrix.count * numClasses);
  linearScores(matrix.features, matrix.count, dim, weights, bias, numClasses, scores);
  const predictions = new Int32Array(matrix.count);
  for (let i = 0; i < matrix.count; i++) {
    let bestClass = 0;
    for (let c = 1; c < numClasses; c++) if (scores[i * numClasses + c] > scores[i * numClasses + bestClass]) bestClass = c;
    predictions[i] = bestClass;
  }
  return predictions;
}
