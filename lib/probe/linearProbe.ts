/**
 * Linear evaluation of frozen features (the standard protocol of SimCLR, Chen et al. 2020, arXiv 2002.05709):
 * fit L2-regularised softmax regression on training features, report test accuracy, per-class accuracy and
 * the confusion matrix; and the same at reduced label budgets (k labelled examples per class).
 */
import { Rng } from '../rng';
import { fitLogisticRegression, LogisticRegressionModel, LogisticRegressionOptions } from './logisticRegression';
import { LbfgsStopReason } from './lbfgs';
import { summarizePredictions, ClassificationSummary } from './metrics';
import { FeatureMatrix, validateFeatureMatrix, validateLabels, checkSameDim } from './validate';
import { checkPositiveInteger } from '../options';

/** Options of the probe: those of the logistic regression (l2 = 1e-4 on (λ/2)‖W‖², maxIterations 1000, tolerance 1e-5). */
export type LinearProbeOptions = LogisticRegressionOptions;

/** Test-set scores of a fitted probe (accuracy, perClassAccuracy, confusion, count) plus how the fit went. */
export interface LinearProbeResult extends ClassificationSummary {
  trainCount: number;
  testCount: number;
  /** Accuracy on the training features: with testAccuracy, tells over- from under-fitting. */
  trainAccuracy: number;
  numClasses: number;
  dim: number;
  l2: number;
  iterations: number;
  converged: boolean;
  stopReason: LbfgsStopReason;
  /** Regularised mean training cross-entropy at the solution (nats). */
  finalLoss: number;
  gradientNorm: number;
  /** The fitted classifier (weights (C, D), bias (C)). */
  model: LogisticRegressionModel;
  /** Predicted class per row of new (m, D) features, standardised like the training features. */
  predict(features: FeatureMatrix): Int32Array;
  /** The predicted class of every test row (for paired comparisons of two probes on the same test set, see comparePaired). */
  testPredictions: Int32Array;
}

/**
 * Fit the probe on (train, trainLabels) and score it on (test, testLabels). Features should already be
 * standardised with training-set statistics (see standardizeTrainTest); the encoder is not involved here.
 * C defaults to max(label) + 1 over both sets. Deterministic: float64 L-BFGS from zero weights.
 * Convergence: well-conditioned encoder features (D ≈ 128) stop on the gradient tolerance; standardised raw
 * pixels at l2 = 1e-4 are ill-conditioned (Fashion-MNIST, 10k × 784: not converged after 1000 iterations,
 * ~110 s on one core here, PyTorch's float64 LBFGS reached the same loss), so check `converged` and raise l2
 * or maxIterations when it is false. Cost per iteration ≈ n·D·C/10⁹ s (one core here).
 * @param train (n, D) features.  @param test (m, D) features.  @returns test-set summary (rows of the confusion matrix = true class).
 */
export function linearProbe(
  train: FeatureMatrix, trainLabels: ArrayLike<number>, test: FeatureMatrix, testLabels: ArrayLike<number>, options: LinearProbeOptions = {},
): LinearProbeResult {
  validateFeatureMatrix(train, 'linearProbe train features');
  validateFeatureMatrix(test, 'linearProbe test features');
  checkSameDim(train, test, 'linearProbe train vs test');
  const trainClasses = validateLabels(trainLabels, train.count, 'linearProbe train labels', options.numClasses);
  const testClasses = validateLabels(testLabels, test.count, 'linearProbe test labels', options.numClasses);
  const numClasses = options.numClasses ?? Math.max(trainClasses, testClasses);
  const model = fitLogisticRegression(train, trainLabels, { ...options, numClasses });
  const testPredictions = model.predict(test);
  const summary = summarizePredictions(testLabels, testPredictions, numClasses);
  const trainSummary = summarizePredictions(trainLabels, model.predict(train), numClasses);
  return {
    ...summary,
    trainCount: train.count,
    testCount: test.count,
    trainAccuracy: trainSummary.accuracy,
    numClasses,
    dim: train.dim,
    l2: model.l2,
    iterations: model.iterations,
    converged: model.converged,
    stopReason: model.stopReason,
    finalLoss: model.finalLoss,
    gradientNorm: model.gradientNorm,
    model,
    predict: model.predict,
    testPredictions,
  };
}

/**
 * Indices of exactly `perClass` training samples of each class present in `labels`, drawn without
 * replacement, returned in ascending order. Each class's members are shuffled by one Rng(seed) stream in
 * class order, and the first `perClass` are taken, so for a fixed seed the subsets are nested
 * (the 10-per-class set lies inside the 100-per-class set). Throws if a class has fewer than `perClass`.
 */
export function stratifiedSubsample(labels: ArrayLike<number>, perClass: number, seed: number): Int32Array {
  checkPositiveInteger('stratifiedSubsample: perClass', perClass);
  const members = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = members.get(labels[i]);
    if (list) list.push(i); else members.set(labels[i], [i]);
  }
  const rng = new Rng(seed);
  const chosen: number[] = [];
  for (const label of [...members.keys()].sort((a, b) => a - b)) {
    const list = members.get(label) as number[];
    if (list.length < perClass) {
      throw new Error(`stratifiedSubsample: class ${label} has ${list.length} training samples, fewer than the ${perClass} per class requested`);
    }
    rng.shuffle(list);
    for (let k = 0; k < perClass; k++) chosen.push(list[k]);
  }
  return Int32Array.from(chosen.sort((a, b) => a - b));
}

export interface LabelBudgetOptions extends LinearProbeOptions {
  /** Label budgets to evaluate: k labelled training samples per class, or 'all'. Default [10, 100, 1000, 'all']:
   * a label-efficiency sweep from few-shot to full (Fashion-MNIST has 6000 per class). */
  labelsPerClass?: Array<number | 'all'>;
  /** Seed of the stratified subsample (see stratifiedSubsample). Default 0. */
  seed?: number;
}

/** One point of the label-budget curve. */
export interface LabelBudgetResult {
  labelsPerClass: number | 'all';
  /** Rows of the training set used, ascending (all rows for 'all'). */
  trainIndices: Int32Array;
  result: LinearProbeResult;
}

/**
 * Probe accuracy versus the number of labels: for each budget k, fit the probe on a stratified subsample of
 * k training samples per class (seeded, nested across k) and score it on the whole test set; 'all' is the
 * full probe. Standardise the features once on the full training set beforehand (it uses no labels).
 * @returns one LabelBudgetResult per entry of labelsPerClass, in the order given.
 */
export function accuracyVsLabelsPerClass(
  train: FeatureMatrix, trainLabels: ArrayLike<number>, test: FeatureMatrix, testLabels: ArrayLike<number>, options: LabelBudgetOptions = {},
): LabelBudgetResult[] {
  const { labelsPerClass = [10, 100, 1000, 'all'], seed = 0, ...probeOptions } = options;
  validateFeatureMatrix(train, 'accuracyVsLabelsPerClass train features');
  const trainClasses = validateLabels(trainLabels, train.count, 'accuracyVsLabelsPerClass train labels', probeOptions.numClasses);
  const testClasses = validateLabels(testLabels, test.count, 'accuracyVsLabelsPerClass test labels', probeOptions.numClasses);
  const numClasses = probeOptions.numClasses ?? Math.max(trainClasses, testClasses);
  return labelsPerClass.map((budget) => {
    if (budget === 'all') {
      const trainIndices = Int32Array.from({ length: train.count }, (_, i) => i);
      return { labelsPerClass: budget, trainIndices, result: linearProbe(train, trainLabels, test, testLabels, { ...probeOptions, numClasses }) };
    }
    const trainIndices = stratifiedSubsample(trainLabels, budget, seed);
    const { dim } = train;
    const features = new Float32Array(trainIndices.length * dim);
    const labels = new Int32Array(trainIndices.length);
    trainIndices.forEach((row, k) => {
      features.set(train.features.subarray(row * dim, (row + 1) * dim), k * dim);
      labels[k] = trainLabels[row];
    });
    const subset = { features, dim, count: trainIndices.length };
    return { labelsPerClass: budget, trainIndices, result: linearProbe(subset, labels, test, testLabels, { ...probeOptions, numClasses }) };
  });
}
