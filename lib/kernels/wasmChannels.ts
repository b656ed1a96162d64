/**
 * Per-channel work on NHWC activations for the wasm backend, routed to fast XNNPACK kernels:
 * - sums and means over the leading axes (batch-norm statistics and gradients, bias gradients) as one
 *   average pooling over a (M × 1) window, ~10x faster than wasm's Sum/Mean (which transpose, then reduce);
 *   a ones-row matrix product was tried too and lost inside a training step (it packs its operand first);
 * - y = x·a + b per channel (batch normalisation) as a 1×1 depthwise convolution with bias, instead of
 *   FusedBatchNorm's loop.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';

/**
 * out[j] = Σ_i x[i, j] (or the mean, 1/M Σ_i) over the first `leadingAxes` axes (M = their size product) for
 * every index j of the rest, as AvgPool of x viewed (1, M, 1, J) with an (M, 1) window (then × M for a sum).
 * Accuracy is that of a float32 running sum, like wasm's Sum. @returns x.shape without the leading axes
 * (with 1s in their place when keepDims).
 */
export function reduceLeadingAxes(composer: KernelComposer, x: tf.TensorInfo, leadingAxes: number, mean: boolean, keepDims: boolean): tf.TensorInfo {
  const leading = x.shape.slice(0, leadingAxes);
  const rest = x.shape.slice(leadingAxes);
  const m = leading.reduce((a, b) => a * b, 1);
  const j = rest.reduce((a, b) => a * b, 1);
  const rows = composer.reshape(x, [1, m, 1, j]);
  let result = composer.run('AvgPool', { x: rows }, { filterSize: [m, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined }); // (1, 1, 1, J)
  if (!mean && m !== 1) {
    const count = composer.run('Fill', {}, { shape: [], value: m, dtype: 'float32' });
    result = composer.run('Multiply', { a: result, b: count });
  }
  return composer.reshape(result, keepDims ? [...leading.map(() => 1), ...rest] : rest);
}

/**
 * Batch normalisation y = (x − μ)·γ/√(σ² + ε) + β with per-channel parameters (C,) over the last axis of x,
 * computed as y = x·a + b with a = γ/√(σ² + ε) and b = β − μ·a: the two C-vectors with small kernels, then one
 * pass over x as a 1×1 depthwise conv2d with bias (XNNPACK). Shapes: x (…, C) → y (same).
 */
export function batchNormByDepthwise(
  composer: KernelComposer,
  x: tf.TensorInfo,
  mean: tf.TensorInfo,
  variance: tf.TensorInfo,
  offset: tf.TensorInfo | undefined,
  scale: tf.TensorInfo | undefined,
  epsilon: number,
): tf.TensorInfo {
  const channels = x.shape[x.shape.length - 1];
  const positions = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const eps = composer.run('Fill', {}, { shape: [], value: epsilon, dtype: 'float32' });
  const r = composer.run('Rsqrt', { x: composer.run('Add', { a: variance, b: eps }) }); // (C,)
  const a = scale ? composer.run('Multiply', { a: scale, b: r }) : r;
  const meanTimesA = composer.run('Multiply', { a: mean, b: a });
  const b = offset ? composer.run('Sub', { a: offset, b: meanTimesA }) : composer.run('Neg', { x: meanTimesA });
  const filter = composer.reshape(a, [1, 1, channels, 1]);
  const rows = composer.reshape(x, [1, positions, 1, channels]);
  const y = composer.run('FusedDepthwiseConv2D', { x: rows, filter, bias: b }, {
    strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined, activation: 'linear', leakyreluAlpha: 0,
  });
  return composer.reshape(y, x.shape);
}
