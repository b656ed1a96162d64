/**
 * Feature standardisation for the linear probe (fit on the training set, apply to both sets), and raw
 * pixels as a feature matrix for the no-learning baseline.
 */
import { FeatureMatrix, validateFeatureMatrix } from './validate';
import { ImageArray } from './features';

/** Per-feature mean and standard deviation, float64, length `dim`. */
export interface Standardizer {
  mean: Float64Array;
  std: Float64Array;
  dim: number;
}

/**
 * Fit per-feature statistics: mean_j = (1/n) Σ_i x_ij, std_j = sqrt((1/n) Σ_i (x_ij − mean_j)²)
 * (population std, as scikit-learn's StandardScaler). A feature whose std is below `1e-12 · (1 + |mean|)`
 * (constant, e.g. an always-black border pixel) gets std 1, so it maps to 0 instead of ±∞ (StandardScaler
 * does the same). Two passes in float64, so large offsets do not lose precision.
 * @param train (n, D) features, n ≥ 1.  @returns mean and std of length D.
 */
export function fitStandardizer(train: FeatureMatrix): Standardizer {
  validateFeatureMatrix(train, 'fitStandardizer');
  const { features, dim, count } = train;
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    const row = i * dim;
    for (let j = 0; j < dim; j++) mean[j] += features[row + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const variance = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    const row = i * dim;
    for (let j = 0; j < dim; j++) {
      const d = features[row + j] - mean[j];
      variance[j] += d * d;
    }
  }
  const std = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const s = Math.sqrt(variance[j] / count);
    std[j] = s > 1e-12 * (1 + Math.abs(mean[j])) ? s : 1;
  }
  return { mean, std, dim };
}

/**
 * Apply a fitted standardiser: x'_ij = (x_ij − mean_j) / std_j. Returns a new matrix; the input is not changed.
 * @param matrix (n, D) features with D = standardizer.dim.  @returns (n, D) float32.
 */
export function applyStandardizer(standardizer: Standardizer, matrix: FeatureMatrix): FeatureMatrix {
  validateFeatureMatrix(matrix, 'applyStandardizer');
  const { mean, std, dim } = standardizer;
  if (matrix.dim !== dim) throw new Error(`applyStandardizer: the standardiser was fitted on D = ${dim}, features have D = ${matrix.dim}`);
  const out = new Float32Array(matrix.features.length);
  for (let i = 0; i < matrix.count; i++) {
    const row = i * dim;
    for (let j = 0; j < dim; j++) out[row + j] = (matrix.features[row + j] - mean[j]) / std[j];
  }
  return { features: out, dim, count: matrix.count };
}

/**
 * Standardise a train/test pair with statistics fitted on the training set only (the test set must not
 * leak into preprocessing). The statistics use no labels.
 * @returns standardised copies of both sets and the fitted standardiser.
 */
export function standardizeTrainTest(train: FeatureMatrix, test: FeatureMatrix): { train: FeatureMatrix; test: FeatureMatrix; standardizer: Standardizer } {
  const standardizer = fitStandardizer(train);
  return { train: applyStandardizer(standardizer, train), test: applyStandardizer(standardizer, test), standardizer };
}

/**
 * Raw pixels as features, the baseline every encoder must beat: x_i = vec(image_i) / 255, in NHWC order,
 * so D = height · width · channels (784 for Fashion-MNIST, 3072 for CIFAR-10).
 * @param data uint8 images, `shape = [n, height, width, channels]`.  @returns (n, D) float32 in [0, 1].
 */
export function rawPixelFeatures(data: ImageArray): FeatureMatrix {
  if (data == null || !(data.images instanceof Uint8Array) || !Array.isArray(data.shape) || data.shape.length !== 4) {
    throw new Error('rawPixelFeatures: expected {images: Uint8Array, shape: [n, height, width, channels]}');
  }
  const [count, height, width, channels] = data.shape;
  const dim = height * width * channels;
  if (count < 1 || dim < 1) throw new Error(`rawPixelFeatures: the image set is empty (shape ${data.shape.join('x')})`);
  if (data.images.length !== count * dim) {
    throw new Error(`rawPixelFeatures: images has ${data.images.length} bytes, shape ${data.shape.join('x')} needs ${count * dim}`);
  }
  const features = new Float32Array(count * dim);
  for (let k = 0; k < features.length; k++) features[k] = data.images[k] / 255;
  return { features, dim, count };
}
