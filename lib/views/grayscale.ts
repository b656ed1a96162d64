/** Luma (ITU-R BT.601 weights) and the random grayscale augmentation. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkProbability, perSampleFlags, sampleFlags } from './batch';
import { fromPlanar, selectSamples, toPlanar } from './planar';

/**
 * ITU-R BT.601 luma weights for R, G, B: Y = 0.299 R + 0.587 G + 0.114 B. (torchvision's
 * `rgb_to_grayscale` uses 0.2989 for red; the difference is below 1e-4 of a [0, 1] pixel.)
 */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

/**
 * Luma of every pixel of a planar batch: `(C, H, W, N)` -> `(H, W, N)`. For C = 1 the single plane itself.
 * The `(H, W, N)` shape broadcasts as a trailing suffix against `(C, H, W, N)`.
 */
export function lumaPlanar(planes: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [, height, width, count] = planes.shape;
    if (planes.shape[0] === 1) return tf.reshape(planes, [height, width, count]);
    const [r, g, b] = tf.unstack(planes, 0) as tf.Tensor3D[];
    return tf.addN([tf.mul(r, LUMA_WEIGHTS[0]), tf.mul(g, LUMA_WEIGHTS[1]), tf.mul(b, LUMA_WEIGHTS[2])]) as tf.Tensor3D;
  });
}

/**
 * Replace chosen images of a planar batch by their luma, kept in all C channels (RGB stays 3 channels of
 * equal value, as torchvision's `RandomGrayscale` on RGB). C = 1: unchanged. `(C, H, W, N)` -> same.
 */
export function grayscalePlanar(planes: tf.Tensor4D, chosen: readonly boolean[]): tf.Tensor4D {
  if (planes.shape[0] === 1 || !chosen.some((c) => c)) return tf.clone(planes);
  return tf.tidy(() => selectSamples(chosen, lumaPlanar(planes), planes) as tf.Tensor4D);
}

/**
 * Grayscale version of chosen images: every channel of image n becomes 0.299 R + 0.587 G + 0.114 B
 * where `chosen[n]`. @param images `(N, H, W, C)` float32 in [0, 1]. @returns the same shape.
 */
export function grayscale(images: tf.Tensor4D, chosen: readonly boolean[]): tf.Tensor4D {
  const { count } = checkImages(images, 'grayscale');
  const flags = perSampleFlags(chosen, count, 'chosen', 'grayscale');
  return tf.tidy(() => fromPlanar(grayscalePlanar(toPlanar(images), flags)));
}

/** Turn each image to grayscale with probability p (torchvision's `RandomGrayscale(p)`). `(N, H, W, C)` -> same. */
export function randomGrayscale(images: tf.Tensor4D, probability: number, rng: Rng): tf.Tensor4D {
  const { count } = checkImages(images, 'randomGrayscale');
  checkProbability(probability, 'grayscale probability', 'randomGrayscale');
  return grayscale(images, sampleFlags(count, probability, rng));
}
