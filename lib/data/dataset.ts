/**
 * The one in-memory form every loader returns: uint8 pixels in NHWC order plus int32 labels.
 *
 * Pixels stay uint8 (1 byte each) until a batch is taken: Fashion-MNIST train is 60000 x 28 x 28 = 47 MB as
 * uint8 and would be 188 MB as float32. Conversion to float32 in [0, 1] happens per batch (see batches.ts).
 * Datasets are treated as immutable: helpers may return views that share the pixel buffer.
 */
import { createHash } from 'crypto';
import { Rng } from '../rng';

/** An image dataset: `images` holds `shape = [n, height, width, channels]` uint8 values 0..255 in NHWC order. */
export interface ImageDataset {
  /** Human-readable name, e.g. `fashion-mnist/train`. */
  name: string;
  /** Pixels, uint8 0..255, NHWC: pixel (i, y, x, c) is at `((i * height + y) * width + x) * channels + c`. */
  images: Uint8Array;
  /** `[n, height, width, channels]`. */
  shape: [number, number, number, number];
  /** Class index per image in `[0, classNames.length)`, or -1 when the image is unlabeled. Length n. */
  labels: Int32Array;
  /** Class names; `classNames[k]` names label k. Empty for a wholly unlabeled dataset. */
  classNames: string[];
}

/**
 * Check that a dataset is self-consistent (buffer length = product of shape, one label per image, labels in
 * range) and return it. Throws an error naming the dataset and what was expected versus found.
 */
export function validateDataset<T extends ImageDataset>(dataset: T): T {
  const name = dataset?.name ?? '(unnamed)';
  if (!(dataset?.images instanceof Uint8Array)) throw new Error(`dataset ${name}: images must be a Uint8Array`);
  if (!(dataset.labels instanceof Int32Array)) throw new Error(`dataset ${name}: labels must be an Int32Array`);
  const shape = dataset.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`dataset ${name}: shape must be [n, height, width, channels] of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const [n, height, width, channels] = shape;
  if (dataset.images.length !== n * height * width * channels) {
    throw new Error(`dataset ${name}: images has ${dataset.images.length} bytes, shape ${shape.join('x')} needs ${n * height * width * channels}`);
  }
  if (dataset.labels.length !== n) throw new Error(`dataset ${name}: ${dataset.labels.length} labels for ${n} images`);
  const numClasses = dataset.classNames.length;
  for (let i = 0; i < n; i++) {
    const label = dataset.labels[i];
    if (label < -1 || label >= numClasses) {
      throw new Error(`dataset ${name}: label ${label} of image ${i} is outside [-1, ${numClasses}) (classNames has ${numClasses} entries)`);
    }
  }
  return dataset;
}

/** Number of bytes of one image (`height * width * channels`). */
export function bytesPerImage(dataset: ImageDataset): number {
  return dataset.shape[1] * dataset.shape[2] * dataset.shape[3];
}

/**
 * Throw unless `rng` is a seeded generator from lib/rng.ts. Checked by shape (next/shuffle/permutation), not
 * instanceof, so an Rng from another copy of the library (built dist vs sources) is accepted.
 */
export function checkRng(rng: unknown, where: string): asserts rng is Rng {
  const candidate = rng as Partial<Rng> | undefined;
  if (!candidate || typeof candidate.next !== 'function' || typeof candidate.shuffle !== 'function' || typeof candidate.permutation !== 'function') {
    throw new Error(`${where}: rng must be an Rng (seeded, from lib/rng), got ${rng === null ? 'null' : typeof rng}`);
  }
}

/** Throw unless every index is an integer in [0, n); `where` starts the error message (e.g. the caller and dataset). */
export function checkIndices(indices: ArrayLike<number>, n: number, where: string): void {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new Error(`${where}: index ${i} at position ${k} is not an integer in [0, ${n})`);
    }
  }
}

/**
 * A new dataset holding the images at `indices`, in that order (duplicates allowed). Copies the pixels.
 * Output shape `[indices.length, height, width, channels]`.
 */
export function subset(dataset: ImageDataset, indices: ArrayLike<number>, name = dataset.name): ImageDataset {
  const [n, height, width, channels] = dataset.shape;
  checkIndices(indices, n, `subset of ${dataset.name}`);
  const size = height * width * channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(dataset.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = dataset.labels[i];
  }
  return { name, images, shape: [indices.length, height, width, channels], labels, classNames: dataset.classNames.slice() };
}

/**
 * The first `count` images (all of them when `count >= n`), for quick runs. Shares the pixel buffer
 * (a view, no copy).
 */
export function limit(dataset: ImageDataset, count: number): ImageDataset {
  if (!Number.isInteger(count) || count < 0) throw new Error(`limit: count must be a non-negative integer, got ${count}`);
  const [n, height, width, channels] = dataset.shape;
  if (count >= n) return dataset;
  const size = height * width * channels;
  return {
    name: dataset.name,
    images: dataset.images.subarray(0, count * size),
    shape: [count, height, width, channels],
    labels: dataset.labels.subarray(0, count),
    classNames: dataset.classNames,
  };
}

/** A copy of the dataset in a random order drawn from `rng` (a seeded permutation; copies the pixels). */
export function shuffled(dataset: ImageDataset, rng: Rng): ImageDataset {
  checkRng(rng, 'shuffled');
  return subset(dataset, rng.permutation(dataset.shape[0]));
}

/** Count of images per label: `counts[k]` for k in [0, numClasses), plus the number of unlabeled (-1) images. */
export function labelCounts(dataset: ImageDataset): { counts: number[]; unlabeled: number } {
  const counts = new Array<number>(dataset.classNames.length).fill(0);
  let unlabeled = 0;
  for (const label of dataset.labels) {
    if (label < 0) unlabeled++;
    else counts[label]++;
  }
  return { counts, unlabeled };
}

/**
 * A one-paragraph summary: size, image shape, memory, classes with their counts, and the pixel mean and
 * standard deviation in 0..255 units (population statistics over all pixels and channels).
 */
export function describe(dataset: ImageDataset): string {
  const [n, height, width, channels] = dataset.shape;
  let sum = 0;
  let sumSquares = 0;
  const pixels = dataset.images;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    sum += v;
    sumSquares += v * v;
  }
  const count = Math.max(1, pixels.length);
  const mean = sum / count;
  const std = Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
  const { counts, unlabeled } = labelCounts(dataset);
  const classes = dataset.classNames.map((className, k) => `${className} ${counts[k]}`).join(', ');
  const megabytes = (pixels.byteLength / 2 ** 20).toFixed(1);
  return (
    `${dataset.name}: ${n} images of ${height}x${width}x${channels} (uint8, ${megabytes} MiB); ` +
    `${dataset.classNames.length} classes${classes ? ` (${classes})` : ''}` +
    `${unlabeled ? `; ${unlabeled} unlabeled` : ''}; pixel mean ${mean.toFixed(1)}, std ${std.toFixed(1)} (0..255)`
  );
}

/**
 * SHA-256 (hex) of a dataset's shape and pixels: equal for the same images in the same order, different after
 * any change of pixels, order, count or size. Labels and names are not included (pretraining does not use them).
 * About 0.1 s for Fashion-MNIST's 47 MB.
 */
export function datasetFingerprint(dataset: ImageDataset): string {
  return createHash('sha256').update(dataset.shape.join('x')).update(':').update(dataset.images).digest('hex');
}
