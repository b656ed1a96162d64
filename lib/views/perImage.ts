/**
 * Per-image parameters as tensor ops over a whole batch `(N, H, W, C)`, without leading-axis broadcasts
 * (a `(N, 1, 1, 1)` operand takes the slow generic path of the pure-JS cpu backend, ~15x slower):
 * - a colour matrix per image, applied to every pixel by one batched matMul;
 * - a scalar per image, expanded to one value per pixel by an outer product.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Apply a C x C colour matrix per image: out[n, y, x, :] = M_n @ in[n, y, x, :].
 * One batched matMul `(N, HW, C) x (N, C, C)^T`. Rows of M_n that are unit vectors copy a channel exactly.
 * @param images `(N, H, W, C)`; matrices: N*C*C numbers, row-major M_n[c][j] at n*C*C + c*C + j.
 * @returns `(N, H, W, C)` (not clamped).
 */
export function applyColorMatrices(images: tf.Tensor4D, matrices: Float32Array | readonly number[]): tf.Tensor4D {
  const [count, height, width, channels] = images.shape;
  if (matrices.length !== count * channels * channels) {
    throw new Error(`applyColorMatrices: expected ${count * channels * channels} matrix entries (${count} images x ${channels}x${channels}), got ${matrices.length}`);
  }
  return tf.tidy(() => {
    const pixels = tf.reshape(images, [count, height * width, channels]); // (N, HW, C)
    const m = tf.tensor3d(matrices as number[], [count, channels, channels]);
    return tf.reshape(tf.matMul(pixels, m, false, true), [count, height, width, channels]);
  });
}

/** N colour matrices from a function of the image index, flattened row-major for `applyColorMatrices`. */
export function colorMatrices(count: number, channels: number, matrixOf: (n: number) => number[][]): Float32Array {
  const out = new Float32Array(count * channels * channels);
  for (let n = 0; n < count; n++) out.set(matrixOf(n).flat(), n * channels * channels);
  return out;
}

/**
 * Repeat each image's value over `length` positions: `(N)` -> `(N, length)`, out[n, i] = values[n].
 * An outer product with a row of ones (exact: v * 1).
 */
export function expandPerImage(values: tf.Tensor1D | readonly number[], length: number): tf.Tensor2D {
  return tf.tidy(() => {
    const column = values instanceof tf.Tensor ? values : tf.tensor1d(values as number[], 'float32');
    return tf.matMul(tf.reshape(column, [-1, 1]), tf.ones([1, length])) as tf.Tensor2D;
  });
}
