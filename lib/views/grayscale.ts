/** Luma (ITU-R BT.601 weights) and the random grayscale augmentation. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkProbability, perSampleFlags, sampleFlags } from './batch';
import { applyColorMatrices, colorMatrices } from './perImage';

/**
 * ITU-R BT.601 luma weights for R, G, B: Y = 0.299 R + 0.587 G + 0.114 B. (torchvision's
 * `rgb_to_grayscale` uses 0.2989 for red; the difference is below 1e-4 of a [0, 1] pixel.)
 */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

/** The weights as a function of the channel count: BT.601 for RGB, [1] for one channel. */
export function lumaWeights(channels: number): number[] {
  return channels === 3 ? [...LUMA_WEIGHTS] : [1];
}

/**
 * Luma of every pixel: `(N, H, W, C)` -> `(N, H, W, 1)`, Y = 0.299 R + 0.587 G + 0.114 B (C = 1: a copy).
 * One `(NHW, C) x (C, 1)` matMul.
 */
export function luma(images: tf.Tensor4D): tf.Tensor4D {
  const { count, height, width, channels } = checkImages(images, 'luma');
  return tf.tidy(() => {
    const pixels = tf.reshape(images, [count * height * width, channels]);
    const weights = tf.tensor2d(lumaWeights(channels), [channels, 1]);
    return tf.reshape(tf.matMul(pixels, weights), [count, height, width, 1]);
  });
}

/**
 * Grayscale version of chosen images: every channel of image n becomes its luma where `chosen[n]`
 * (RGB stays 3 equal channels, as torchvision's `RandomGrayscale`); other images are copied exactly.
 * One colour matrix per image: all rows the luma weights, or the identity. C = 1: a copy.
 * @param images `(N, H, W, C)` float32 in [0, 1]. @returns the same shape.
 */
export function grayscale(images: tf.Tensor4D, chosen: readonly boolean[]): tf.Tensor4D {
  const { count, channels } = checkImages(images, 'grayscale');
  const flags = perSampleFlags(chosen, count, 'chosen', 'grayscale');
  if (channels === 1 || !flags.some((c) => c)) return tf.clone(images);
  const gray = [0, 1, 2].map(() => [...LUMA_WEIGHTS]);
  const identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  return applyColorMatrices(images, colorMatrices(count, 3, (n) => (flags[n] ? gray : identity)));
}

/** Turn each image to grayscale with probability p (torchvision's `RandomGrayscale(p)`). `(N, H, W, C)` -> same. */
export function randomGrayscale(images: tf.Tensor4D, probability: number, rng: Rng): tf.Tensor4D {
  const { count } = checkImages(images, 'randomGrayscale');
  checkProbability(probability, 'grayscale probability', 'randomGrayscale');
  return grayscale(images, sampleFlags(count, probability, rng));
}
