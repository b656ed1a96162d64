/** Shared fixtures for the kernel tests: convolution cases, seeded data, reference runs on the cpu backend. Not a test file. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { convGeometry, KernelComposer } from '../../lib/kernels';
import type { ConvGeometry } from '../../lib/kernels';

/** One convolution: x (N, H, W, Cin), filter (KH, KW, Cin, Cout), stride, padding. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
}

/** Batch 1-4, channels 1-16, sizes 5-12, 1×1 and 3×3 filters, strides 1 and 2, same/valid/numeric/explicit padding. */
export const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 8], stride: 2, pad: 'same' },
  { x: [1, 9, 9, 2], filter: [3, 3, 2, 5], stride: 2, pad: 'valid' },
  { x: [3, 6, 6, 4], filter: [1, 1, 4, 2], stride: 2, pad: 'same' },
  { x: [1, 5, 5, 1], filter: [1, 1, 1, 1], stride: 1, pad: 'valid' },
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'valid' },
  { x: [4, 12, 12, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same' },
  { x: [2, 11, 11, 16], filter: [3, 3, 16, 8], stride: 2, pad: 'same' },
  { x: [1, 6, 7, 3], filter: [3, 3, 3, 2], stride: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 1 },
  { x: [1, 12, 12, 5], filter: [1, 1, 5, 16], stride: 2, pad: 'valid' },
];

/** A short label for messages. */
export function describeCase(c: ConvCase): string {
  return `x [${c.x}] w [${c.filter}] s${c.stride} pad ${JSON.stringify(c.pad)}`;
}

/** Seeded normal values (float32) for a shape. */
export function seededValues(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return values;
}

/** Output shape of conv2d for a case. */
export function outputShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad as 'same', undefined, false, 'channelsLast');
  return info.outShape;
}

/** Data of one case: x, filter and an upstream gradient dy, as plain arrays (movable between backends). */
export interface CaseData {
  x: Float32Array;
  filter: Float32Array;
  dy: Float32Array;
  dyShape: number[];
}

export function caseData(c: ConvCase, seed: number): CaseData {
  const dyShape = outputShape(c);
  return { x: seededValues(c.x, seed), filter: seededValues(c.filter, seed + 1), dy: seededValues(dyShape, seed + 2), dyShape };
}

/** Largest |value|, for a tolerance scaled to the size of the result. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * The two gradients of L = Σ conv2d(x, w) ⊙ dy on the active backend, through the public ops (the same
 * route as training): dL/dw (Conv2DBackpropFilter) and dL/dx (Conv2DBackpropInput).
 */
export async function convGradients(c: ConvCase, d: CaseData): Promise<{ dw: Float32Array; dx: Float32Array }> {
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor4d(d.x, c.x);
    const w = tf.tensor4d(d.filter, c.filter);
    const dy = tf.tensor(d.dy, d.dyShape);
    const loss = (xIn: tf.Tensor4D, wIn: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(xIn, wIn, c.stride, c.pad), dy));
    return tf.grads((xIn: tf.Tensor, wIn: tf.Tensor) => loss(xIn as tf.Tensor4D, wIn as tf.Tensor4D))([x, w]);
  });
  return { dw: await readAndDispose(dw), dx: await readAndDispose(dx) };
}

/** Values of a tensor read asynchronously (webgpu in Node has no synchronous read), then the tensor is disposed. */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

/** Run `fn` with `backendName` active and switch back to the previous backend afterwards. */
export async function onBackend<T>(backendName: string, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(backendName);
  try {
    return await fn();
  } finally {
    if (previous && previous !== backendName) await tf.setBackend(previous);
  }
}

/** Batch normalisation in training and its gradient, in float64 loops, for (rows, channels) data. */
export interface BatchNormReference {
  /** Batch mean μ and biased variance σ² per channel. */
  mean: Float64Array;
  variance: Float64Array;
  /** y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε). */
  y: Float64Array;
  /** dx = γ/√(σ² + ε)·(dy − mean(dy) − x̂·mean(dy·x̂)); dγ = Σ dy·x̂; dβ = Σ dy (Ioffe & Szegedy 2015). */
  dx: Float64Array;
  dscale: Float64Array;
  dshift: Float64Array;
}

/** The closed form of batch norm forward and backward over the rows of x, from the paper's formulas. */
export function batchNormReference(x: ArrayLike<number>, dy: ArrayLike<number>, scale: ArrayLike<number>, shift: ArrayLike<number>, rows: number, channels: number, epsilon: number): BatchNormReference {
  const r: BatchNormReference = {
    mean: new Float64Array(channels), variance: new Float64Array(channels), y: new Float64Array(rows * channels),
    dx: new Float64Array(rows * channels), dscale: new Float64Array(channels), dshift: new Float64Array(channels),
  };
  for (let c = 0; c < channels; c++) {
    let mu = 0;
    for (let i = 0; i < rows; i++) mu += x[i * channels + c];
    mu /= rows;
    let v = 0;
    for (let i = 0; i < rows; i++) v += (x[i * channels + c] - mu) ** 2;
    v /= rows;
    const sd = Math.sqrt(v + epsilon);
    let sdy = 0;
    let sdyxh = 0;
    for (let i = 0; i < rows; i++) {
      sdy += dy[i * channels + c];
      sdyxh += dy[i * channels + c] * ((x[i * channels + c] - mu) / sd);
    }
    for (let i = 0; i < rows; i++) {
      const xh = (x[i * channels + c] - mu) / sd;
      r.y[i * channels + c] = scale[c] * xh + shift[c];
      r.dx[i * channels + c] = (scale[c] / sd) * (dy[i * channels + c] - sdy / rows - (xh * sdyxh) / rows);
    }
    r.mean[c] = mu;
    r.variance[c] = v;
    r.dscale[c] = sdyxh;
    r.dshift[c] = sdy;
  }
  return r;
}

/** A composed conv-gradient algorithm: (x, dy) → dw or (dy, filter) → dx. */
export type ConvGradientAlgorithm = (composer: KernelComposer, first: tf.TensorInfo, second: tf.TensorInfo, g: ConvGeometry) => tf.TensorInfo;

/**
 * Backend buffers left after one run of `algorithm` on case c's data through a KernelComposer on the cpu backend,
 * its output disposed: 0 when it frees every intermediate. `inputs` picks its operands: 'x,dy' (filter gradient)
 * or 'dy,filter' (input gradient).
 */
export function buffersLeftBy(algorithm: ConvGradientAlgorithm, c: ConvCase, seed: number, inputs: 'x,dy' | 'dy,filter'): number {
  const d = caseData(c, seed);
  const dy = tf.tensor(d.dy, d.dyShape);
  const other = inputs === 'x,dy' ? tf.tensor4d(d.x, c.x as [number, number, number, number]) : tf.tensor4d(d.filter, c.filter as [number, number, number, number]);
  const [first, second] = inputs === 'x,dy' ? [other, dy] : [dy, other];
  const before = tf.backend().numDataIds();
  const composer = new KernelComposer(tf.backend(), 'cpu');
  const out = composer.finish(algorithm(composer, first, second, convGeometry(c.x, c.filter, c.stride, c.pad)));
  tf.backend().disposeData(out.dataId);
  const left = tf.backend().numDataIds() - before;
  tf.dispose([dy, other]);
  return left;
}
