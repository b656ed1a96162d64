/**
 * Brightness, contrast and saturation with torchvision's formulas (`torchvision.transforms.functional`
 * on float tensors), one factor per image, each result clamped to [0, 1] as torchvision's `_blend`.
 * Brightness and saturation are per-image colour matrices (./perImage.ts); contrast adds a per-image offset.
 */
import * as tf from '@tensorflow/tfjs';
import { checkImages, perSample } from './batch';
import { lumaWeights } from './grayscale';
import { applyColorMatrices, colorMatrices, expandPerImage } from './perImage';

/** Check images and one factor >= 0 per image (a single number is repeated). */
function checkFactors(images: tf.Tensor4D, factors: number | readonly number[], caller: string) {
  const shape = checkImages(images, caller);
  const list = perSample(factors, shape.count, 'factors', caller);
  if (list.some((f) => f < 0)) throw new Error(`${caller}: factors must be >= 0, got ${JSON.stringify(list)}`);
  return { ...shape, list };
}

/** f I (C x C). */
function scaledIdentity(f: number, channels: number): number[][] {
  return Array.from({ length: channels }, (_, c) => Array.from({ length: channels }, (_, j) => (c === j ? f : 0)));
}

/**
 * torchvision `adjust_brightness`: clamp(x f, 0, 1) (a blend with black). f = 1 keeps the image exactly, 0 gives black.
 * @param images `(N, H, W, C)` float32 in [0, 1]; factors: one number >= 0, or one per image. @returns same shape.
 */
export function adjustBrightness(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  const { count, channels, list } = checkFactors(images, factors, 'adjustBrightness');
  return tf.tidy(() => tf.clipByValue(applyColorMatrices(images, colorMatrices(count, channels, (n) => scaledIdentity(list[n], channels))), 0, 1) as tf.Tensor4D);
}

/**
 * torchvision `adjust_contrast`: clamp(f x + (1 - f) m, 0, 1), m the mean luma of the image (the mean of
 * its grayscale version; for C = 1 the mean pixel). f = 1 keeps the image exactly, 0 gives flat gray at m.
 * Shapes as `adjustBrightness`.
 */
export function adjustContrast(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  const { count, height, width, channels, list } = checkFactors(images, factors, 'adjustContrast');
  return tf.tidy(() => {
    const pixels = tf.reshape(images, [count, height * width, channels]); // (N, HW, C)
    const weights = tf.tensor2d(lumaWeights(channels).map((w) => w / (height * width)), [channels, 1]);
    const meanLuma = tf.sum(tf.reshape(tf.matMul(tf.reshape(pixels, [-1, channels]), weights), [count, height * width]), 1); // (N)
    const offset = tf.mul(meanLuma, tf.tensor1d(list.map((f) => 1 - f), 'float32')) as tf.Tensor1D; // (N): (1 - f) m
    const offsetMap = tf.reshape(expandPerImage(offset, height * width * channels), images.shape); // (N, H, W, C)
    const scaled = applyColorMatrices(images, colorMatrices(count, channels, (n) => scaledIdentity(list[n], channels)));
    return tf.clipByValue(tf.add(scaled, offsetMap), 0, 1) as tf.Tensor4D;
  });
}

/**
 * torchvision `adjust_saturation`: clamp(f x + (1 - f) luma(x), 0, 1) per pixel (a blend with the
 * grayscale image): f = 0 gives grayscale, 1 the input (exactly), > 1 more saturated. The colour matrix
 * is f I + (1 - f) 1 w^T with w the luma weights. C = 1: a copy (torchvision returns it as is).
 * Shapes as `adjustBrightness`.
 */
export function adjustSaturation(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  const { count, channels, list } = checkFactors(images, factors, 'adjustSaturation');
  if (channels === 1) return tf.clone(images);
  const w = lumaWeights(3);
  const matrixOf = (n: number) => [0, 1, 2].map((c) => [0, 1, 2].map((j) => (c === j ? list[n] : 0) + (1 - list[n]) * w[j]));
  return tf.tidy(() => tf.clipByValue(applyColorMatrices(images, colorMatrices(count, 3, matrixOf)), 0, 1) as tf.Tensor4D);
}
