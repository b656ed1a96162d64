/**
 * Building blocks shared by the encoders, with PyTorch's semantics so that a model here and its PyTorch
 * twin compute the same function (checked against PyTorch 1.13 in tests/models).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batchNorm';

/**
 * Keras-convention momentum of every BatchNormalization: moving = 0.9·moving + 0.1·batch statistic.
 * Equals PyTorch's default `momentum=0.1` (Ioffe & Szegedy 2015, arXiv 1502.03167); Keras's default 0.99
 * would need ~10× more steps for the moving statistics to follow the weights.
 */
export const BATCH_NORM_MOMENTUM = 0.9;
/** ε added to the variance in BatchNormalization: PyTorch's default 1e-5 (Keras's is 1e-3). */
export const BATCH_NORM_EPSILON = 1e-5;

/** Options for `conv2d`. */
export interface Conv2dOptions {
  /** Output channels. */
  filters: number;
  /** Square kernel size k (odd). */
  kernelSize: number;
  /** Stride s in both directions. Default 1. */
  stride?: number;
  /** Add a bias. Default true; pass false when BatchNormalization follows (its β makes a bias redundant). */
  useBias?: boolean;
  /** Layer name; a zero-padding layer, when needed, is named `${name}_pad`. */
  name: string;
}

/**
 * A k×k convolution padded like PyTorch's `Conv2d(padding=k // 2)`: ⌊k/2⌋ zeros on every side, then a
 * 'valid' convolution, so output size = ⌊(H + 2⌊k/2⌋ − k) / s⌋ + 1. At stride 1 that is tfjs 'same'; at
 * stride 2 tfjs 'same' would pad only bottom/right and shift the sampling grid by one pixel.
 * Shapes: `(N, H, W, C)` → `(N, H', W', filters)`. Weights start at zero: call `initializeWeights` after building.
 */
export function conv2d(x: tf.SymbolicTensor, options: Conv2dOptions): tf.SymbolicTensor {
  const { filters, kernelSize, stride = 1, useBias = true, name } = options;
  const pad = Math.floor(kernelSize / 2);
  const common = { filters, kernelSize, strides: stride, useBias, name, kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  if (stride === 1 || pad === 0) {
    return tf.layers.conv2d({ ...common, padding: stride === 1 ? 'same' : 'valid' }).apply(x) as tf.SymbolicTensor;
  }
  const padded = tf.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }).apply(x) as tf.SymbolicTensor;
  return tf.layers.conv2d({ ...common, padding: 'valid' }).apply(padded) as tf.SymbolicTensor;
}

/**
 * BatchNormalization over the channel axis with PyTorch's momentum and ε. `(N, H, W, C)` or `(N, C)` → same shape.
 * Trains with the fused batch-norm kernels where the backend has them (see ./batchNorm).
 */
export function batchNorm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return batchNormalization({ axis: -1, momentum: BATCH_NORM_MOMENTUM, epsilon: BATCH_NORM_EPSILON, name }).apply(x) as tf.SymbolicTensor;
}

/** ReLU(x) = max(x, 0), elementwise; shape unchanged. */
export function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
}

/** Global average pooling: `(N, H, W, C)` → `(N, C)`, the mean over H×W (PyTorch's AdaptiveAvgPool2d(1) + Flatten). */
export function globalAveragePool(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.globalAveragePooling2d({ name }).apply(x) as tf.SymbolicTensor;
}
