/**
 * Input checks shared by the contrastive losses and metrics: shapes, temperature and other positive
 * settings, and an opt-in scan for NaN/Infinity. Every check throws an Error that names the caller,
 * what was expected and what was got.
 */
import * as tf from '@tensorflow/tfjs';

/** Option common to every loss and metric in lib/losses. */
export interface FiniteCheckOptions {
  /**
   * Reject inputs holding NaN or ±Infinity. This reads one small boolean tensor back from the device
   * (`dataSync`), which waits for all queued work on that backend: on WebGPU/WebGL a stall of the
   * pipeline on every call, on cpu/wasm nearly free. Default false (see `FINITE_CHECK_DEFAULT`).
   */
  checkFinite?: boolean;
}

/** Default of `checkFinite`: off, so that a training step never pays a device sync; turn it on while debugging. */
export const FINITE_CHECK_DEFAULT = false;

/**
 * Check that a softmax temperature τ is a finite number > 0 and return it. The losses call it on every call
 * with a numeric τ (a JS check, no device sync; a learned τ tensor is not read back). Units: τ divides cosine
 * similarities in [-1, 1].
 */
export function validateTemperature(temperature: number, caller = 'validateTemperature'): number {
  return validatePositiveFinite(temperature, 'temperature', caller);
}

/** Check that a setting is a finite number > 0 (e.g. α of alignment, t of uniformity) and return it. */
export function validatePositiveFinite(value: number, name: string, caller: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new Error(`${caller}: ${name} must be a finite number > 0, got ${describeValue(value)}`);
  }
  return value;
}

/** Shape of a validated embedding batch: N rows (samples) of D features. */
export interface EmbeddingShape {
  n: number;
  d: number;
}

/**
 * Check one embedding batch: a float32 tensor of shape (N, D) with N ≥ 2 and D ≥ 1. Shape-only,
 * no data read.
 */
export function validateEmbeddings(z: tf.Tensor, name: string, caller: string): EmbeddingShape {
  if (z == null || !Array.isArray((z as tf.Tensor).shape) || typeof (z as tf.Tensor).dtype !== 'string') {
    throw new Error(`${caller}: ${name} must be a tf.Tensor of shape (N, D), got ${describeValue(z)}`);
  }
  if (z.isDisposed) throw new Error(`${caller}: ${name} is a disposed tensor`);
  if (z.rank !== 2) {
    throw new Error(`${caller}: ${name} must be a 2-D tensor (N, D), got rank ${z.rank} with shape [${z.shape}]`);
  }
  if (z.dtype !== 'float32') {
    throw new Error(`${caller}: ${name} must have dtype float32, got ${z.dtype}`);
  }
  const [n, d] = z.shape;
  if (n < 2) {
    throw new Error(`${caller}: ${name} needs N >= 2 rows (a contrastive batch needs negatives), got shape [${z.shape}]`);
  }
  if (d < 1) throw new Error(`${caller}: ${name} needs D >= 1 features, got shape [${z.shape}]`);
  return { n, d };
}

/**
 * Check two views' embeddings: both valid (N, D) float32 batches of the same shape, row i of z1 and
 * row i of z2 being a positive pair. Shape-only, no data read.
 */
export function validateEmbeddingPair(z1: tf.Tensor, z2: tf.Tensor, caller: string): EmbeddingShape {
  const shape = validateEmbeddings(z1, 'z1', caller);
  validateEmbeddings(z2, 'z2', caller);
  if (z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new Error(`${caller}: z1 and z2 must have the same shape (N, D), got [${z1.shape}] and [${z2.shape}]`);
  }
  return shape;
}

/**
 * Throw if any named tensor holds NaN or ±Infinity. One device sync for all of them together
 * (a read of one boolean per tensor).
 */
export function assertFinite(tensors: Record<string, tf.Tensor>, caller: string): void {
  const names = Object.keys(tensors);
  const flagTensor = tf.tidy(() => tf.stack(names.map((name) => tf.all(tf.isFinite(tensors[name])))));
  const flags = flagTensor.dataSync(); // the device sync
  flagTensor.dispose();
  names.forEach((name, i) => {
    if (!flags[i]) throw new Error(`${caller}: ${name} contains NaN or Infinity (checked because checkFinite is true)`);
  });
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `${typeof value} ${String(value)}`;
}
