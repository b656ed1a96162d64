/**
 * Image-batch helpers shared by the view functions: input checks (each throws an Error that names the
 * caller, what was expected and what was got) and per-sample parameter lists (one value or flag per image).
 */
import * as tf from '@tensorflow/tfjs';

/** Sizes of an image batch `(N, H, W, C)`. */
export interface BatchShape {
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
}

/**
 * Check that `images` is an image batch: rank 4 `(N, H, W, C)`, float32, N, H, W >= 1, C = 1 or 3.
 * Values are assumed to lie in [0, 1]; that is not checked (it would need a device sync).
 */
export function checkImages(images: tf.Tensor, caller: string): BatchShape {
  if (!(images instanceof tf.Tensor)) {
    throw new Error(`${caller}: expected images as a tf.Tensor of shape (N, H, W, C), got ${typeof images}`);
  }
  if (images.rank !== 4) {
    throw new Error(`${caller}: expected images of rank 4 (N, H, W, C), got shape [${images.shape}]`);
  }
  if (images.dtype !== 'float32') {
    throw new Error(`${caller}: expected float32 images in [0, 1], got dtype ${images.dtype}`);
  }
  const [count, height, width, channels] = images.shape;
  if (channels !== 1 && channels !== 3) {
    throw new Error(`${caller}: expected 1 (grayscale) or 3 (RGB) channels, got shape [${images.shape}]`);
  }
  if (count < 1 || height < 1 || width < 1) {
    throw new Error(`${caller}: expected a non-empty batch, got shape [${images.shape}]`);
  }
  return { count, height, width, channels };
}

/** Check that `value` is a probability in [0, 1]. */
export function checkProbability(value: number, name: string, caller: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new Error(`${caller}: ${name} must be a probability in [0, 1], got ${value}`);
  }
}

/** Check that `interval` is `[low, high]` with lowest <= low <= high <= highest (finite numbers). */
export function checkInterval(
  interval: readonly number[],
  name: string,
  caller: string,
  lowest = -Infinity,
  highest = Infinity,
): void {
  const ok =
    Array.isArray(interval) &&
    interval.length === 2 &&
    interval.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    interval[0] <= interval[1] &&
    interval[0] >= lowest &&
    interval[1] <= highest;
  if (!ok) {
    throw new Error(
      `${caller}: ${name} must be an interval [low, high] with ${lowest} <= low <= high <= ${highest}, got ${JSON.stringify(interval)}`,
    );
  }
}

/** Check that a non-negative strength (e.g. a jitter amount) is a finite number >= 0 and <= highest. */
export function checkStrength(value: number, name: string, caller: string, highest = Infinity): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= highest)) {
    throw new Error(`${caller}: ${name} must be a number in [0, ${highest}], got ${value}`);
  }
}

/** Check that a per-sample parameter list has one finite entry per image; a single number is repeated. */
export function perSample(values: number | readonly number[], count: number, name: string, caller: string): number[] {
  const list = typeof values === 'number' ? new Array<number>(count).fill(values) : Array.from(values);
  if (list.length !== count) {
    throw new Error(`${caller}: expected ${name} with one value per image (${count}), got ${list.length}`);
  }
  if (!list.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${caller}: ${name} must be finite numbers, got ${JSON.stringify(list)}`);
  }
  return list;
}

/** Check that a per-sample flag list (e.g. which images to flip) has one boolean per image. */
export function perSampleFlags(flags: readonly boolean[], count: number, name: string, caller: string): boolean[] {
  if (!Array.isArray(flags) || flags.length !== count || !flags.every((f) => typeof f === 'boolean')) {
    throw new Error(`${caller}: expected ${name} as ${count} booleans (one per image), got ${JSON.stringify(flags)}`);
  }
  return flags.slice();
}

/** Draw one Bernoulli(p) flag per image from the seeded stream (p = 0 still draws, keeping streams aligned). */
export function sampleFlags(count: number, probability: number, rng: { bernoulli(p: number): boolean }): boolean[] {
  const flags: boolean[] = new Array(count);
  for (let i = 0; i < count; i++) flags[i] = rng.bernoulli(probability);
  return flags;
}
