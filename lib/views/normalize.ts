/** Per-channel standardisation, the usual last step before a network: (x - mean) / std. */
import * as tf from '@tensorflow/tfjs';
import { checkImages } from './batch';

/** Per-channel mean and standard deviation, one entry per channel (1 for grayscale, 3 for RGB). */
export interface NormalizeOptions {
  mean: readonly number[];
  std: readonly number[];
}

/** Check one finite mean and one positive std per channel; throws naming the caller. */
export function checkNormalizeOptions(options: NormalizeOptions, channels: number, caller: string): void {
  const { mean, std } = options;
  if (!Array.isArray(mean) || mean.length !== channels || !mean.every(Number.isFinite)) {
    throw new Error(`${caller}: normalize.mean must hold one finite number per channel (${channels}), got ${JSON.stringify(mean)}`);
  }
  if (!Array.isArray(std) || std.length !== channels || !std.every((s) => Number.isFinite(s) && s > 0)) {
    throw new Error(`${caller}: normalize.std must hold one positive number per channel (${channels}), got ${JSON.stringify(std)}`);
  }
}

/**
 * out[..., c] = (x[..., c] - mean[c]) / std[c] (torchvision's `Normalize`).
 * @param images `(N, H, W, C)` float32; mean, std of length C. @returns the same shape, no longer in [0, 1].
 */
export function normalizeImages(images: tf.Tensor4D, options: NormalizeOptions): tf.Tensor4D {
  const { channels } = checkImages(images, 'normalizeImages');
  checkNormalizeOptions(options, channels, 'normalizeImages');
  return tf.tidy(() => tf.div(tf.sub(images, tf.tensor1d(options.mean as number[], 'float32')), tf.tensor1d(options.std as number[], 'float32')));
}
