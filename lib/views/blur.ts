/**
 * Gaussian blur with a per-image sigma (torchvision's `GaussianBlur(kernel_size, sigma)` inside
 * `RandomApply(p)`), as two depthwise convolutions (vertical then horizontal) with reflect padding.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkInterval, checkProbability } from './batch';

/** Probability, sigma range and kernel size of the random blur. */
export interface GaussianBlurOptions {
  /** Probability that an image is blurred. */
  probability: number;
  /** Sigma ~ U[low, high], in pixels. */
  sigma: readonly [number, number];
  /** Odd kernel size in pixels (the same for both axes). */
  kernelSize: number;
}

/** SimCLR's ImageNet blur scaled to 32 px; off (p 0) because SimCLR drops blur on CIFAR-10. */
export const defaultGaussianBlur: GaussianBlurOptions = {
  probability: 0, // SimCLR: p 0.5 on ImageNet, no blur for CIFAR-10 (32 px images are already blurry)
  sigma: [0.1, 2.0], // SimCLR's sigma range
  kernelSize: 3, // SimCLR: 10% of the image side, made odd (224 -> 23; 32 -> 3)
};

/** Check probability, sigma > 0 and an odd kernel size >= 1; throws naming the caller. */
export function checkBlurOptions(options: GaussianBlurOptions, caller: string): void {
  checkProbability(options.probability, 'blur probability', caller);
  checkInterval(options.sigma, 'blur sigma', caller, Number.MIN_VALUE, Infinity);
  if (!Number.isInteger(options.kernelSize) || options.kernelSize < 1 || options.kernelSize % 2 !== 1) {
    throw new Error(`${caller}: blur kernelSize must be an odd positive integer, got ${options.kernelSize}`);
  }
}

/**
 * Normalised 1-D Gaussian taps, torchvision's `_get_gaussian_kernel1d`: x = -(k-1)/2 ... (k-1)/2,
 * w(x) = exp(-x^2 / (2 sigma^2)) / sum. `sigma` null gives the identity (a single 1 in the middle).
 */
export function gaussianKernel(sigma: number | null, kernelSize: number): Float64Array {
  const taps = new Float64Array(kernelSize);
  const half = (kernelSize - 1) / 2;
  if (sigma === null) {
    taps[half] = 1;
    return taps;
  }
  let sum = 0;
  for (let i = 0; i < kernelSize; i++) {
    const x = i - half;
    taps[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
    sum += taps[i];
  }
  for (let i = 0; i < kernelSize; i++) taps[i] /= sum;
  return taps;
}

/** One sigma per image: with probability p a draw from U[sigma], otherwise null (no blur). */
export function sampleBlurSigmas(count: number, options: GaussianBlurOptions, rng: Rng): (number | null)[] {
  checkBlurOptions(options, 'sampleBlurSigmas');
  const sigmas: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    sigmas.push(rng.bernoulli(options.probability) ? rng.uniform(options.sigma[0], options.sigma[1]) : null);
  }
  return sigmas;
}

/**
 * Gaussian blur of image n with standard deviation `sigmas[n]` pixels (null: unchanged, exactly), as
 * torchvision's `gaussian_blur`: reflect padding of (k-1)/2, then the separable kernel (vertical, horizontal).
 * Layout: the batch is transposed to `(C, H, W, N)` so the colour planes are the conv's batch and the
 * N images its channels; one depthwise filter `(k, 1, N, 1)` then holds every image's own taps.
 * @param images `(N, H, W, C)` float32; kernelSize odd, at most 2 min(H, W) - 1. @returns the same shape.
 */
export function gaussianBlur(images: tf.Tensor4D, sigmas: readonly (number | null)[], kernelSize: number): tf.Tensor4D {
  const { count, height, width } = checkImages(images, 'gaussianBlur');
  checkBlurOptions({ probability: 0, sigma: [1, 1], kernelSize }, 'gaussianBlur');
  if (sigmas.length !== count) throw new Error(`gaussianBlur: expected ${count} sigmas (one per image), got ${sigmas.length}`);
  if (sigmas.some((s) => s !== null && !(s > 0 && Number.isFinite(s)))) throw new Error(`gaussianBlur: sigmas must be > 0 or null, got ${JSON.stringify(sigmas)}`);
  const half = (kernelSize - 1) / 2;
  if (half > height - 1 || half > width - 1) {
    throw new Error(`gaussianBlur: kernelSize ${kernelSize} needs images of at least ${half + 1} px per side, got ${height}x${width}`);
  }
  if (half === 0 || sigmas.every((s) => s === null)) return tf.clone(images);
  const taps = new Float32Array(kernelSize * count); // filter[i, 0, n, 0] at i * N + n
  sigmas.forEach((sigma, n) => gaussianKernel(sigma, kernelSize).forEach((w, i) => (taps[i * count + n] = w)));
  return tf.tidy(() => {
    const planes = tf.transpose(images, [3, 1, 2, 0]); // (C, H, W, N)
    const padded = tf.mirrorPad(planes, [[0, 0], [half, half], [half, half], [0, 0]], 'reflect');
    const vertical = tf.depthwiseConv2d(padded, tf.tensor4d(taps, [kernelSize, 1, count, 1]), 1, 'valid');
    const blurred = tf.depthwiseConv2d(vertical, tf.tensor4d(taps, [1, kernelSize, count, 1]), 1, 'valid');
    return tf.transpose(blurred, [3, 1, 2, 0]); // (N, H, W, C)
  });
}

/** Blur each image with probability p, sigma ~ U[sigma] (torchvision's `RandomApply([GaussianBlur], p)`). */
export function randomGaussianBlur(images: tf.Tensor4D, options: Partial<GaussianBlurOptions>, rng: Rng): tf.Tensor4D {
  const { count } = checkImages(images, 'randomGaussianBlur');
  const merged = { ...defaultGaussianBlur, ...options };
  const sigmas = sampleBlurSigmas(count, merged, rng);
  return gaussianBlur(images, sigmas, merged.kernelSize);
}
