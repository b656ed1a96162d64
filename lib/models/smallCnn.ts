/** A small conv net for the CPU: a few conv–BN–ReLU stages, downsampling between them, global pool. */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv2d, globalAveragePool, relu } from './blocks';
import { initializeWeights } from './init';
import { checkPositiveInteger, withDefaults } from '../options';
import { checkImageShape, checkSeed } from './validation';

/** How `smallCnnEncoder` halves the resolution between stages. */
export type Downsample = 'maxPool' | 'stride';

/** Options for `smallCnnEncoder`. */
export interface SmallCnnEncoderOptions {
  /** Image shape `[H, W, C]`. Default [28, 28, 1]: Fashion-MNIST. */
  inputShape?: [number, number, number];
  /** Channels of each stage's 3×3 conv; h has widths[last] features. Default [32, 64, 128]: ENVIRONMENT.md's reference net. */
  widths?: number[];
  /** Conv (no bias) → BatchNorm → ReLU per stage; false gives conv (with bias) → ReLU. Default true, as the reference net. */
  batchNorm?: boolean;
  /**
   * Halving between stages. 'maxPool' (default): 2×2 max-pool, stride 2, after every stage but the last, the
   * classic small-CNN layout. 'stride': the next stage's conv has stride 2 (PyTorch-style padding 1).
   * For 28 px both give 28 → 14 → 7 and cost the same conv FLOPs; max-pool sees every pixel.
   */
  downsample?: Downsample;
  /** Weight-initialisation seed (see `initializeWeights`). Default 42. */
  seed?: number;
  /** Prefix of the layer names. Default 'small_cnn'. */
  name?: string;
}

const DEFAULTS: Required<SmallCnnEncoderOptions> = {
  inputShape: [28, 28, 1],
  widths: [32, 64, 128],
  batchNorm: true,
  downsample: 'maxPool',
  seed: 42,
  name: 'small_cnn',
};

/**
 * The CPU-sized encoder f(·) of SimCLR (Chen et al. 2020, arXiv 2002.05709) used for Fashion-MNIST:
 * for each stage i, 3×3 conv to widths[i] channels (padding 1) → BatchNorm (Ioffe & Szegedy 2015,
 * arXiv 1502.03167) → ReLU, halving the resolution between stages; then global average pool.
 * Shapes: `(N, H, W, C)` float32 → h `(N, widths[last])`; with the defaults `(N, 28, 28, 1)` → `(N, 128)`
 * through 28×28×32 → 14×14×64 → 7×7×128. Parameters (defaults): 92,896 trainable + 448 BN moving statistics.
 */
export function smallCnnEncoder(options: SmallCnnEncoderOptions = {}): tf.LayersModel {
  const merged = withDefaults(DEFAULTS, options);
  const inputShape = checkImageShape('smallCnnEncoder: inputShape', merged.inputShape);
  if (!Array.isArray(merged.widths) || merged.widths.length === 0) {
    throw new Error(`smallCnnEncoder: widths must be a non-empty array of positive integers, got ${JSON.stringify(merged.widths)}`);
  }
  const widths = merged.widths.map((width, i) => checkPositiveInteger(`smallCnnEncoder: widths[${i}]`, width));
  if (merged.downsample !== 'maxPool' && merged.downsample !== 'stride') {
    throw new Error(`smallCnnEncoder: downsample must be 'maxPool' or 'stride', got ${JSON.stringify(merged.downsample)}`);
  }
  const seed = checkSeed('smallCnnEncoder: seed', merged.seed);
  const { name, batchNorm: useBatchNorm, downsample } = merged;

  const input = tf.input({ shape: inputShape, name: `${name}_input` }); // (N, H, W, C)
  let x: tf.SymbolicTensor = input;
  widths.forEach((width, i) => {
    const stage = `${name}_stage${i + 1}`;
    const stride = downsample === 'stride' && i > 0 ? 2 : 1;
    x = conv2d(x, { filters: width, kernelSize: 3, stride, useBias: !useBatchNorm, name: `${stage}_conv` }); // (N, H_i, W_i, width)
    if (useBatchNorm) x = batchNorm(x, `${stage}_bn`);
    x = relu(x, `${stage}_relu`);
    if (downsample === 'maxPool' && i < widths.length - 1) {
      x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${stage}_pool` }).apply(x) as tf.SymbolicTensor; // (N, ⌊H_i/2⌋, ⌊W_i/2⌋, width)
    }
  });
  const h = globalAveragePool(x, `${name}_pool`); // (N, widths[last])
  const model = tf.model({ inputs: input, outputs: h, name });
  initializeWeights(model, { seed });
  return model;
}
