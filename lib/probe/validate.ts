/**
 * The feature-matrix type shared by the probe modules, and the input checks they all run once, up front:
 * sizes agree, sets are non-empty, values are finite, labels are class indices.
 */
import { checkPositiveInteger } from '../options';

/**
 * `count` feature vectors of length `dim`, row-major: feature j of sample i is `features[i * dim + j]`.
 * Float32Array because that is what tfjs reads back (and half the memory of float64); the linear probe
 * still accumulates in float64.
 */
export interface FeatureMatrix {
  features: Float32Array;
  dim: number;
  count: number;
}

/**
 * Throw unless `matrix` is a well-formed, non-empty feature matrix of finite values.
 * @param where names the argument in the error, e.g. `linearProbe train features`.
 */
export function validateFeatureMatrix(matrix: FeatureMatrix, where: string): void {
  if (matrix == null || !(matrix.features instanceof Float32Array)) {
    throw new Error(`${where}: expected {features: Float32Array, dim, count}, got ${describe(matrix?.features ?? matrix)}`);
  }
  const { features, dim, count } = matrix;
  checkPositiveInteger(`${where}: dim`, dim);
  if (!Number.isInteger(count) || count < 0) throw new Error(`${where}: count must be a non-negative integer, got ${count}`);
  if (count === 0) throw new Error(`${where}: the set is empty (count 0); need at least one sample`);
  if (features.length !== count * dim) {
    throw new Error(`${where}: features has ${features.length} values, but count ${count} × dim ${dim} = ${count * dim}`);
  }
  for (let k = 0; k < features.length; k++) {
    if (!Number.isFinite(features[k])) {
      throw new Error(`${where}: feature ${k % dim} of sample ${Math.floor(k / dim)} is ${features[k]} (features must be finite)`);
    }
  }
}

/**
 * Throw unless `labels` holds `count` integer class indices ≥ 0 (and < numClasses when given).
 * Unlabeled images (label −1 in an ImageDataset) are rejected: a probe needs every label.
 * @returns the number of classes implied by the labels: max label + 1.
 */
export function validateLabels(labels: ArrayLike<number>, count: number, where: string, numClasses?: number): number {
  if (labels == null || typeof labels.length !== 'number') throw new Error(`${where}: expected an array of labels, got ${describe(labels)}`);
  if (labels.length !== count) throw new Error(`${where}: ${labels.length} labels for ${count} feature vectors (lengths must match)`);
  let maxLabel = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new Error(`${where}: label ${label} of sample ${i} is not a class index (expected an integer ≥ 0; unlabeled −1 is not allowed)`);
    }
    if (numClasses !== undefined && label >= numClasses) {
      throw new Error(`${where}: label ${label} of sample ${i} is outside [0, ${numClasses}) (numClasses ${numClasses})`);
    }
    if (label > maxLabel) maxLabel = label;
  }
  return maxLabel + 1;
}

/** Throw unless two feature matrices have the same dimension. */
export function checkSameDim(a: FeatureMatrix, b: FeatureMatrix, where: string): void {
  if (a.dim !== b.dim) throw new Error(`${where}: feature dimensions differ (${a.dim} vs ${b.dim})`);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const name = (value as object).constructor?.name;
  return name ?? typeof value;
}
