/**
 * One-call evaluation of a frozen encoder: extract features of a labelled train and test set, standardise
 * with training statistics, fit the linear probe, and optionally score a weighted kNN, with timings.
 */
import * as tf from '@tensorflow/tfjs';
import { extractFeatures, EmbedFunction, ExtractFeaturesOptions, ImageArray } from './features';
import { standardizeTrainTest, rawPixelFeatures } from './standardize';
import { linearProbe, LinearProbeOptions, LinearProbeResult } from './linearProbe';
import { tunedLinearProbe, TunedProbeOptions, TunedProbeResult } from './tunedProbe';
import { knnClassify, KnnOptions, KnnResult } from './knn';
import { FeatureMatrix, validateLabels } from './validate';
import { simpleTableHtml, withSelfDisplay } from '../display/selfDisplay';

/** Images with one label each, as an ImageDataset from lib/data (classNames, when present, fixes C). */
export interface LabeledImages extends ImageArray {
  labels: ArrayLike<number>;
  classNames?: string[];
}

export interface ProbeEncoderOptions extends ExtractFeaturesOptions {
  /** Linear-probe options (l2 = 1e-4, maxIterations 1000, tolerance 1e-5). */
  linear?: LinearProbeOptions;
  /**
   * Choose the probe's L2 strength on a validation split of the training features (tunedLinearProbe: a fifth of
   * the rows, λ over 1e-4 … 1 unless given) instead of using `linear.l2`; `linear`'s other options still apply.
   * Default false. The report's `linear` is then a TunedProbeResult (with the search).
   */
  tuneL2?: boolean | TunedProbeOptions;
  /** Also run the weighted kNN (k = 200, τ = 0.1 unless given) on the raw, unstandardised features. Default
   * false: the linear probe is the reported metric; kNN is the cheap monitor. */
  knn?: boolean | KnnOptions;
}

/** Seconds spent in each phase (wall clock). */
export interface ProbeTiming {
  extractSeconds: number;
  linearSeconds: number;
  knnSeconds: number;
  totalSeconds: number;
}

export interface ProbeReport {
  /** The linear probe (a TunedProbeResult, with its λ search, when `tuneL2` was asked for). */
  linear: LinearProbeResult | TunedProbeResult;
  knn?: KnnResult;
  /** Feature dimension D. */
  dim: number;
  numClasses: number;
  timing: ProbeTiming;
}

/**
 * Linear evaluation of an encoder: features h = embed(x/255) of both sets (inference mode, batched, see
 * extractFeatures) → standardise with train mean/std → L-BFGS softmax regression on train → test accuracy;
 * plus weighted kNN (train = bank, test = queries) when `options.knn` is set.
 * @param embed (B, H, W, C) float32 in [0, 1] → (B, D), or a single-output tf.LayersModel.
 * @param train, test labelled uint8 image sets of the same image size.
 */
export async function probeEncoder(
  embed: EmbedFunction | tf.LayersModel, train: LabeledImages, test: LabeledImages, options: ProbeEncoderOptions = {},
): Promise<ProbeReport> {
  const { linear = {}, knn = false, tuneL2 = false, ...extractOptions } = options;
  const numClasses = checkLabels(train, test, linear.numClasses);
  const startTime = performance.now();
  const trainFeatures = await extractFeatures(embed, train, extractOptions);
  const testFeatures = await extractFeatures(embed, test, extractOptions);
  const extractSeconds = (performance.now() - startTime) / 1000;
  return finish(trainFeatures, testFeatures, train, test, numClasses, linear, tuneL2, knn, extractSeconds, startTime);
}

/**
 * The same protocol on raw pixels (x/255 flattened, D = H·W·C): the baseline an encoder has to beat.
 * Note that standardised raw pixels at small l2 are ill-conditioned: the fit may stop at maxIterations
 * (see result.linear.converged). kNN, when asked for, uses the unstandardised pixels.
 */
export async function probeRawPixels(train: LabeledImages, test: LabeledImages, options: Omit<ProbeEncoderOptions, keyof ExtractFeaturesOptions> = {}): Promise<ProbeReport> {
  const { linear = {}, knn = false, tuneL2 = false } = options;
  const numClasses = checkLabels(train, test, linear.numClasses);
  const startTime = performance.now();
  const trainFeatures = rawPixelFeatures(train);
  const testFeatures = rawPixelFeatures(test);
  return finish(trainFeatures, testFeatures, train, test, numClasses, linear, tuneL2, knn, (performance.now() - startTime) / 1000, startTime);
}

async function finish(
  trainFeatures: FeatureMatrix, testFeatures: FeatureMatrix, train: LabeledImages, test: LabeledImages, numClasses: number,
  linear: LinearProbeOptions, tuneL2: boolean | TunedProbeOptions, knn: boolean | KnnOptions, extractSeconds: number, startTime: number,
): Promise<ProbeReport> {
  let phaseStart = performance.now();
  const standardized = standardizeTrainTest(trainFeatures, testFeatures);
  let linearResult: LinearProbeResult | TunedProbeResult;
  if (tuneL2) {
    const { l2: _fixed, ...others } = linear; // the search chooses λ
    const tuning = tuneL2 === true ? {} : tuneL2;
    linearResult = tunedLinearProbe(standardized.train, train.labels, standardized.test, test.labels, { ...others, ...tuning, numClasses });
  } else {
    linearResult = linearProbe(standardized.train, train.labels, standardized.test, test.labels, { ...linear, numClasses });
  }
  const linearSeconds = (performance.now() - phaseStart) / 1000;
  let knnResult: KnnResult | undefined;
  phaseStart = performance.now();
  if (knn) {
    const knnOptions = knn === true ? {} : knn;
    knnResult = await knnClassify(trainFeatures, train.labels, testFeatures, test.labels, { ...knnOptions, numClasses });
  }
  const knnSeconds = knn ? (performance.now() - phaseStart) / 1000 : 0;
  const report: ProbeReport = {
    linear: linearResult,
    knn: knnResult,
    dim: trainFeatures.dim,
    numClasses,
    timing: { extractSeconds, linearSeconds, knnSeconds, totalSeconds: (performance.now() - startTime) / 1000 },
  };
  const classNames = train.classNames ?? test.classNames;
  return withSelfDisplay(report, formatProbeSummary, (r) => probeReportHtml(r, classNames));
}

const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '–');

/** Accuracies and timing in two lines: how a ProbeReport prints. */
export function formatProbeSummary(report: ProbeReport): string {
  const knn = report.knn ? `, kNN ${percent(report.knn.accuracy)}` : '';
  return `linear probe ${percent(report.linear.accuracy)} (train ${percent(report.linear.trainAccuracy)}, D = ${report.dim}, ${report.linear.iterations} iterations${report.linear.converged ? '' : ', not converged'})${knn}\n${report.timing.totalSeconds.toFixed(1)} s`;
}

/** A ProbeReport as HTML: overall accuracies, then per-class accuracy (linear, and kNN when present). */
export function probeReportHtml(report: ProbeReport, classNames?: string[]): string {
  const overall = simpleTableHtml(['probe', 'test top-1', 'train top-1'], [
    ['linear (L-BFGS logistic regression)', percent(report.linear.accuracy), percent(report.linear.trainAccuracy)],
    ...(report.knn ? [[`kNN (k ${report.knn.k}, τ ${report.knn.temperature})`, percent(report.knn.accuracy), '–']] : []),
  ], `D = ${report.dim}, ${report.numClasses} classes, ${report.timing.totalSeconds.toFixed(1)} s`);
  const rows = report.linear.perClassAccuracy.map((a, c) => [classNames?.[c] ?? String(c), percent(a), report.knn ? percent(report.knn.perClassAccuracy[c]) : '–']);
  return overall + simpleTableHtml(['class', 'linear', 'kNN'], rows, 'per-class accuracy');
}

/** Validate both label arrays before any work is done; returns C (classNames length, option, or max label + 1). */
function checkLabels(train: LabeledImages, test: LabeledImages, requested?: number): number {
  for (const [set, name] of [[train, 'train'], [test, 'test']] as const) {
    if (set == null || !Array.isArray(set.shape)) throw new Error(`probe: the ${name} set must be {images, shape, labels}`);
  }
  if (train.shape.slice(1).join('x') !== test.shape.slice(1).join('x')) {
    throw new Error(`probe: train images are ${train.shape.slice(1).join('x')} but test images are ${test.shape.slice(1).join('x')}`);
  }
  const fromNames = train.classNames && train.classNames.length > 0 ? train.classNames.length : undefined;
  const numClasses = requested ?? fromNames;
  const trainClasses = validateLabels(train.labels, train.shape[0], 'probe train labels', numClasses);
  const testClasses = validateLabels(test.labels, test.shape[0], 'probe test labels', numClasses);
  return numClasses ?? Math.max(trainClasses, testClasses);
}
