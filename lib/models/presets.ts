/** Named SimCLR models: the seed article's, the CPU preset, and CIFAR ResNet-18 (built from the registry's architectures). */
import { architecture, buildModel } from './registry';
import { SimclrModel } from './simclrModel';

/** Options shared by the presets. */
export interface PresetOptions {
  /** Weight seed: the encoder uses `seed`, the head `seed + 1`. Default 42, the seed article's. */
  seed?: number;
  /** Image shape `[H, W, C]`; default per preset. */
  inputShape?: [number, number, number];
}

/**
 * The seed article's model: `seedEncoder` (3×3 conv to 32, ReLU, global pool) and the mlp head
 * 32 → 128 → 128 without BN. `(N, 32, 32, 3)` → h `(N, 32)`, z `(N, 128)`; 896 + 20,736 parameters.
 */
export function seedModel(options: PresetOptions = {}): SimclrModel {
  return buildModel(architecture('seed', { inputShape: options.inputShape }), options.seed ?? 42);
}

/**
 * The CPU preset, ENVIRONMENT.md's Fashion-MNIST reference: `smallCnnEncoder` (32-64-128, BN, global pool)
 * and the mlp head 128 → 128 → 64 without BN. `(N, 28, 28, 1)` → h `(N, 128)`, z `(N, 64)`.
 */
export function smallCnnModel(options: PresetOptions = {}): SimclrModel {
  return buildModel(architecture('smallCnn', { inputShape: options.inputShape }), options.seed ?? 42);
}

/** Options for `resnet18Model`. */
export interface Resnet18ModelOptions extends PresetOptions {
  /** ResNet width w (h has 8w features). Default 64, the standard ResNet-18. */
  width?: number;
  /** Size of z. Default 128, SimCLR's. */
  outputDim?: number;
}

/**
 * CIFAR ResNet-18 SimCLR (Chen et al. 2020, appendix B.9): `resnet18Encoder({width})` and the mlp head
 * 8w → 8w → 128 without BN. `(N, 32, 32, 3)` → h `(N, 8w)`, z `(N, 128)`.
 */
export function resnet18Model(options: Resnet18ModelOptions = {}): SimclrModel {
  const { inputShape, width, outputDim } = options;
  return buildModel(architecture('resnet18', { inputShape, width, head: { outputDim } }), options.seed ?? 42);
}
