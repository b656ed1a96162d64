/**
 * The channel-planar, batch-minor layout `(C, H, W, N)` used inside the colour and blur stages.
 *
 * Why: per-image parameters (a brightness factor per image, a grayscale flag per image) then broadcast as
 * a trailing `(N)` vector and per-pixel maps (the luma of each pixel) as a trailing `(H, W, N)` tensor.
 * Trailing broadcasts take the fast element-wise path of every tfjs backend (the pure-JS cpu backend
 * is ~15x slower on a leading `(N, 1, 1, 1)` broadcast), and channels are contiguous slices.
 * The colour stages run between one `toPlanar` and one `fromPlanar`, so the batch is transposed twice per view.
 */
import * as tf from '@tensorflow/tfjs';

/** `(N, H, W, C)` -> `(C, H, W, N)` (a transpose; the permutation is its own inverse). */
export function toPlanar(images: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(images, [3, 1, 2, 0]);
}

/** `(C, H, W, N)` -> `(N, H, W, C)`, the inverse of `toPlanar`. */
export function fromPlanar(planes: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(planes, [3, 1, 2, 0]);
}

/**
 * Per-image choice between two planar batches: image n of the result is `chosen[n] ? a : b`.
 * Computed as `a * m + b * (1 - m)` with m in {0, 1}, which is exact for finite values.
 * @param chosen N flags; a, b: `(C, H, W, N)` or a trailing suffix of it such as `(H, W, N)`.
 */
export function selectSamples(chosen: readonly boolean[], a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.tensor1d(chosen.map((c) => (c ? 1 : 0)), 'float32'); // (N)
    const keep = tf.tensor1d(chosen.map((c) => (c ? 0 : 1)), 'float32'); // (N)
    return tf.add(tf.mul(a, mask), tf.mul(b, keep));
  });
}
