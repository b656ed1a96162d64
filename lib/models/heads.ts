/** Projection heads g(·) that map the representation h to the space z where the contrastive loss is applied. */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batchNorm';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from './blocks';
import { initializeWeights } from './init';
import { checkPositiveInteger, withDefaults } from '../options';
import { checkSeed } from './validation';

/** Which head: none = identity (z = h), linear = one Dense, mlp = hidden Dense–[BN]–ReLU layers then a Dense. */
export type HeadKind = 'none' | 'linear' | 'mlp';

/** Options for `projectionHead`. */
export interface ProjectionHeadOptions {
  /** Head type. Default 'mlp': SimCLR's finding that a nonlinear head gives the best h (Chen et al. 2020, §4.2). */
  kind?: HeadKind;
  /** Size of h, the head's input. Required. */
  inputDim: number;
  /** Width of the hidden layers (mlp only). Default inputDim, as SimCLR (2048 → 2048 → 128 on ResNet-50). */
  hiddenDim?: number;
  /** Size of z. Default 128, SimCLR's. For kind 'none' z has inputDim features and a different outputDim is an error. */
  outputDim?: number;
  /** Number of Dense layers of an mlp, ≥ 2. Default 2, SimCLR v1's. */
  layers?: number;
  /** BatchNorm after each hidden Dense (which then has no bias). Default false, like the seed article. */
  batchNorm?: boolean;
  /** Weight-initialisation seed (see `initializeWeights`). Default 43 (differs from the encoders' 42 so their draws do not coincide). */
  seed?: number;
  /** Prefix of the layer names. Default 'head'. */
  name?: string;
}

const DEFAULTS = { kind: 'mlp' as HeadKind, outputDim: 128, layers: 2, batchNorm: false, seed: 43, name: 'head' };

/**
 * The projection head g of SimCLR (Chen et al. 2020, arXiv 2002.05709, §2.1): z = g(h).
 * - none: z = h (a linear activation layer, no parameters).
 * - linear: z = W h + b.
 * - mlp: (Dense → [BatchNorm] → ReLU) × (layers − 1), then Dense; with 2 layers z = W₂ ReLU(W₁ h + b₁) + b₂.
 * Shapes: h `(N, inputDim)` float32 → z `(N, outputDim)` (`(N, inputDim)` for none).
 * Dense weights and biases U(±1/√fan_in), torch.nn's default (see `initializeWeights`).
 * The seed article's head: `projectionHead({inputDim: 32, hiddenDim: 128, outputDim: 128})`, 20,736 parameters.
 */
export function projectionHead(options: ProjectionHeadOptions): tf.LayersModel {
  if (options == null || typeof options !== 'object') throw new Error(`projectionHead: expected an options object with inputDim, got ${JSON.stringify(options)}`);
  const merged = withDefaults({ ...DEFAULTS, hiddenDim: options.inputDim }, options);
  const inputDim = checkPositiveInteger('projectionHead: inputDim', merged.inputDim);
  const outputDim = checkPositiveInteger('projectionHead: outputDim', merged.outputDim);
  const seed = checkSeed('projectionHead: seed', merged.seed);
  const { kind, name } = merged;

  const input = tf.input({ shape: [inputDim], name: `${name}_input` }); // (N, inputDim)
  let z: tf.SymbolicTensor;
  if (kind === 'none') {
    if (options.outputDim !== undefined && options.outputDim !== inputDim) {
      throw new Error(`projectionHead: kind 'none' passes h through, so outputDim must equal inputDim (${inputDim}), got ${options.outputDim}`);
    }
    z = tf.layers.activation({ activation: 'linear', name: `${name}_identity` }).apply(input) as tf.SymbolicTensor; // (N, inputDim)
  } else if (kind === 'linear') {
    z = tf.layers.dense({ units: outputDim, name: `${name}_dense1`, kernelInitializer: 'zeros' }).apply(input) as tf.SymbolicTensor; // (N, outputDim)
  } else if (kind === 'mlp') {
    const hiddenDim = checkPositiveInteger('projectionHead: hiddenDim', merged.hiddenDim);
    const layers = checkPositiveInteger('projectionHead: layers', merged.layers);
    if (layers < 2) throw new Error(`projectionHead: an mlp needs layers ≥ 2 (use kind 'linear' for one Dense), got ${layers}`);
    let x: tf.SymbolicTensor = input;
    for (let i = 1; i < layers; i++) {
      x = tf.layers.dense({ units: hiddenDim, useBias: !merged.batchNorm, name: `${name}_dense${i}`, kernelInitializer: 'zeros' }).apply(x) as tf.SymbolicTensor; // (N, hiddenDim)
      if (merged.batchNorm) {
        x = batchNormalization({ axis: -1, momentum: BATCH_NORM_MOMENTUM, epsilon: BATCH_NORM_EPSILON, name: `${name}_bn${i}` }).apply(x) as tf.SymbolicTensor;
      }
      x = tf.layers.reLU({ name: `${name}_relu${i}` }).apply(x) as tf.SymbolicTensor;
    }
    z = tf.layers.dense({ units: outputDim, name: `${name}_dense${layers}`, kernelInitializer: 'zeros' }).apply(x) as tf.SymbolicTensor; // (N, outputDim)
  } else {
    throw new Error(`projectionHead: kind must be 'none', 'linear' or 'mlp', got ${JSON.stringify(kind)}`);
  }
  const model = tf.model({ inputs: input, outputs: z, name });
  initializeWeights(model, { seed });
  return model;
}
