/** Horizontal (left-right) flip of chosen images in a batch, and its seeded random version. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkProbability, perSampleFlags, sampleFlags } from './batch';

/**
 * Mirror image n left-right where `flips[n]` is true: out[n, y, x] = in[n, y, W-1-x]; others unchanged.
 * One `tf.image.cropAndResize` over the whole batch with the box `[0, 1, 1, 0]` (x1 > x2 reads the
 * columns backwards) or `[0, 0, 1, 1]`: at the source size every sample lands on a pixel centre, so the
 * result is exact. (On the cpu backend this is ~40x faster than `tf.reverse` plus a select.)
 * @param images `(N, H, W, C)` float32. @returns the same shape.
 */
export function horizontalFlip(images: tf.Tensor4D, flips: readonly boolean[]): tf.Tensor4D {
  const { count, height, width } = checkImages(images, 'horizontalFlip');
  const flipped = perSampleFlags(flips, count, 'flips', 'horizontalFlip');
  const coordinates = new Float32Array(4 * count);
  flipped.forEach((f, i) => coordinates.set(f ? [0, 1, 1, 0] : [0, 0, 1, 1], 4 * i));
  return tf.tidy(() => {
    const boxes = tf.tensor2d(coordinates, [count, 4]);
    const boxIndex = tf.range(0, count, 1, 'int32') as tf.Tensor1D;
    return tf.image.cropAndResize(images, boxes, boxIndex, [height, width], 'bilinear');
  });
}

/** Flip each image independently with probability p (torchvision's `RandomHorizontalFlip(p)`). */
export function randomHorizontalFlip(images: tf.Tensor4D, probability: number, rng: Rng): tf.Tensor4D {
  const { count } = checkImages(images, 'randomHorizontalFlip');
  checkProbability(probability, 'flip probability', 'randomHorizontalFlip');
  return horizontalFlip(images, sampleFlags(count, probability, rng));
}
