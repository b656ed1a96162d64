/**
 * Per-channel work on NHWC activations for the wasm backend, routed to a fast XNNPACK kernel: y = x·a + b per
 * channel (batch normalisation) as a 1×1 depthwise convolution with bias, instead of FusedBatchNorm's loop.
 * (Sums over the leading axes as a ones-row matrix product were tried too: faster in isolation, slower
 * inside a training step, where the stock transpose-and-reduce won.)
 */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';

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
