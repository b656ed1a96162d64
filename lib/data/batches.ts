/** From uint8 datasets to float32 tensors: one-off conversion and a mini-batch iterator that frees its tensors. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { ImageDataset, checkIndices, checkRng } from './dataset';

/**
 * The images at `indices` (all images when omitted) as a float32 tensor `(k, H, W, C)` with values
 * pixel / 255 in [0, 1]. The float copy is made in JS, so no intermediate tensors exist; the caller owns
 * (and must dispose) the result.
 */
export function imagesToTensor(dataset: ImageDataset, indices?: ArrayLike<number>): tf.Tensor4D {
  const [n, height, width, channels] = dataset.shape;
  const size = height * width * channels;
  if (indices === undefined) {
    const all = new Float32Array(n * size);
    for (let j = 0; j < all.length; j++) all[j] = dataset.images[j] / 255;
    return tf.tensor4d(all, [n, height, width, channels], 'float32');
  }
  checkIndices(indices, n, `imagesToTensor(${dataset.name})`);
  const values = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const source = indices[k] * size;
    const target = k * size;
    for (let j = 0; j < size; j++) values[target + j] = dataset.images[source + j] / 255;
  }
  return tf.tensor4d(values, [indices.length, height, width, channels], 'float32');
}

export interface BatchOptions {
  /** Images per batch, an integer >= 1. */
  batchSize: number;
  /** Visit images in a fresh random order drawn from `rng` (default true: SGD wants i.i.d.-like batches). */
  shuffle?: boolean;
  /** Seeded generator for the order; required when shuffle is true (one permutation is drawn per call). */
  rng?: Rng;
  /** Skip the last batch when it is smaller than batchSize (default false: every image is seen once). */
  dropLast?: boolean;
}

/** One mini-batch. Its tensors are disposed when the consumer asks for the next batch or stops iterating. */
export interface Batch {
  /** `(B, H, W, C)` float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** `(B,)` int32 labels, -1 for unlabeled images. */
  labels: tf.Tensor1D;
  /** Which dataset images this batch holds, in batch order. */
  indices: Int32Array;
}

function checkBatchOptions(options: BatchOptions): Required<Omit<BatchOptions, 'rng'>> & { rng?: Rng } {
  const { batchSize, shuffle = true, rng, dropLast = false } = options ?? ({} as BatchOptions);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batches: batchSize must be an integer >= 1, got ${batchSize}`);
  if (shuffle && rng === undefined) throw new Error('batches: shuffle is true, so options.rng must be a seeded Rng (or pass shuffle: false)');
  if (shuffle) checkRng(rng, 'batches: options.rng');
  return { batchSize, shuffle, rng, dropLast };
}

/** How many batches one pass of `batches` yields: ceil(n / batchSize), or floor with dropLast. */
export function numBatches(dataset: ImageDataset, options: Omit<BatchOptions, 'rng' | 'shuffle'>): number {
  const { batchSize, dropLast } = checkBatchOptions({ ...options, shuffle: false });
  const n = dataset.shape[0];
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * One epoch of mini-batches: a permutation of 0..n-1 (drawn from rng when shuffling, else in order) cut
 * into consecutive runs of batchSize. Each yielded batch's tensors are disposed when the consumer requests
 * the next batch, and on `return`/`break`/throw (generator `finally`), so a plain `for...of` loop leaks
 * nothing. Keep a value beyond one step by copying it (`tf.clone` or `await t.data()`) inside the loop.
 * A generator that is abandoned mid-way without `return()` keeps its current batch alive.
 * Options are checked (and the permutation drawn) at the call, not at the first `next()`.
 */
export function batches(dataset: ImageDataset, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize, shuffle, rng, dropLast } = checkBatchOptions(options);
  const n = dataset.shape[0];
  const order = shuffle ? rng!.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  return iterateBatches(dataset, order, batchSize, dropLast);
}

function* iterateBatches(dataset: ImageDataset, order: Int32Array, batchSize: number, dropLast: boolean): Generator<Batch, void, undefined> {
  const n = order.length;
  let current: Batch | null = null;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      if (dropLast && end - start < batchSize) break;
      const indices = order.slice(start, end);
      const labels = new Int32Array(indices.length);
      for (let k = 0; k < indices.length; k++) labels[k] = dataset.labels[indices[k]];
      current = { images: imagesToTensor(dataset, indices), labels: tf.tensor1d(labels, 'int32'), indices };
      yield current;
      tf.dispose([current.images, current.labels]);
      current = null;
    }
  } finally {
    if (current) tf.dispose([current.images, current.labels]);
  }
}
