/** The seed article's encoder: one conv layer and a global average pool. */
import * as tf from '@tensorflow/tfjs';
import { globalAveragePool } from './blocks';
import { initializeWeights } from './init';
import { checkPositiveInteger, withDefaults } from '../options';
import { checkImageShape, checkSeed } from './validation';

/** Options for `seedEncoder`. */
export interface SeedEncoderOptions {
  /** Image shape `[H, W, C]`. Default [32, 32, 3]: the seed article's 3×32×32 FakeData images. */
  inputShape?: [number, number, number];
  /** Channels of the conv layer, hence the size of h. Default 32, as in the seed. */
  filters?: number;
  /** Weight-initialisation seed (see `initializeWeights`). Default 42, the seed article's seed. */
  seed?: number;
  /** Prefix of the layer names. Default 'seed_encoder'. */
  name?: string;
}

const DEFAULTS: Required<SeedEncoderOptions> = { inputShape: [32, 32, 3], filters: 32, seed: 42, name: 'seed_encoder' };

/**
 * The backbone of the seed article's minimal SimCLR: Conv2d(C, 32, 3, padding=1) with bias → ReLU →
 * global average pool → h. In SimCLR terms (Chen et al. 2020, arXiv 2002.05709) this is f(·), the
 * encoder whose output h = f(x) is the representation kept after pretraining.
 * Shapes: `(N, H, W, C)` float32 → h `(N, filters)`. Parameters: 3·3·C·filters + filters (896 for the default).
 * Conv kernel He-normal (fan_out), bias U(±1/√(9C)): see `initializeWeights`. (The seed's PyTorch Conv2d
 * kept torch's default kernel init, U(±1/√(9C)); the architecture and function are the same.)
 */
export function seedEncoder(options: SeedEncoderOptions = {}): tf.LayersModel {
  const merged = withDefaults(DEFAULTS, options);
  const inputShape = checkImageShape('seedEncoder: inputShape', merged.inputShape);
  const filters = checkPositiveInteger('seedEncoder: filters', merged.filters);
  const seed = checkSeed('seedEncoder: seed', merged.seed);
  const { name } = merged;

  const input = tf.input({ shape: inputShape, name: `${name}_input` }); // (N, H, W, C)
  // Conv with a fused ReLU: one tfjs layer for the seed's Conv2d + ReLU.
  const features = tf.layers
    .conv2d({ filters, kernelSize: 3, padding: 'same', useBias: true, activation: 'relu', name: `${name}_conv`, kernelInitializer: 'zeros' })
    .apply(input) as tf.SymbolicTensor; // (N, H, W, filters)
  const h = globalAveragePool(features, `${name}_pool`); // (N, filters)
  const model = tf.model({ inputs: input, outputs: h, name });
  initializeWeights(model, { seed });
  return model;
}
