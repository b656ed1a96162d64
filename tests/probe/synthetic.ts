/** Synthetic feature sets for the probe tests (not a test file). */
import { Rng } from '../../lib/rng';
import { FeatureMatrix } from '../../lib/probe/validate';

export interface LabeledFeatures {
  matrix: FeatureMatrix;
  labels: Int32Array;
}

/**
 * Gaussian blobs: class c has mean `separation · e_c` (a unit axis per class, so classes are equidistant)
 * and isotropic noise of standard deviation `noise`; samples interleaved by class (0, 1, ..., C−1, 0, ...).
 */
export function gaussianBlobs(seed: number, options: { classes: number; perClass: number; dim: number; separation: number; noise: number }): LabeledFeatures {
  const { classes, perClass, dim, separation, noise } = options;
  const rng = new Rng(seed);
  const count = classes * perClass;
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < dim; j++) features[i * dim + j] = noise * rng.normal() + (j === c ? separation : 0);
  }
  return { matrix: { features, dim, count }, labels };
}

/** A FeatureMatrix from nested rows (test literals). */
export function matrixOf(rows: number[][]): FeatureMatrix {
  const dim = rows[0]?.length ?? 1;
  return { features: Float32Array.from(rows.flat()), dim, count: rows.length };
}
