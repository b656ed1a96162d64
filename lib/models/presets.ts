/** Named SimCLR configurations: the seed article's, the CPU preset, and CIFAR ResNet-18. */
import { projectionHead } from './heads';
import { resnet18Encoder } from './resnet';
import { seedEncoder } from './seedEncoder';
import { SimclrModel } from './simclrModel';
import { smallCnnEncoder } from './smallCnn';
import { checkSeed } from './validation';

/** Options shared by the presets. */
export interface PresetOptions {
  /** Weight seed: the encoder uses `seed`, the head `seed + 1`. Default 42, the seed article's. */
  seed?: number;
  /** Image shape `[H, W, C]`; default per preset. */
  inputShape?: [number, number, number];
}

function seeds(seed: number | undefined): { encoder: number; head: number } {
  const encoder = checkSeed('preset: seed', seed ?? 42);
  return { encoder, head: encoder + 1 };
}

/**
 * The seed article's model: `seedEncoder` (3×3 conv to 32, ReLU, global pool) and the mlp head
 * 32 → 128 → 128 without BN. `(N, 32, 32, 3)` → h `(N, 32)`, z `(N, 128)`; 896 + 20,736 parameters.
 */
export function seedModel(options: PresetOptions = {}): SimclrModel {
  const seed = seeds(options.seed);
  const encoder = seedEncoder({ inputShape: options.inputShape ?? [32, 32, 3], seed: seed.encoder });
  const head = projectionHead({ kind: 'mlp', inputDim: 32, hiddenDim: 128, outputDim: 128, layers: 2, seed: seed.head, name: 'seed_head' });
  return new SimclrModel({ encoder, head });
}

/**
 * The CPU preset, ENVIRONMENT.md's Fashion-MNIST reference: `smallCnnEncoder` (32-64-128, BN, global pool)
 * and the mlp head 128 → 128 → 64 without BN. `(N, 28, 28, 1)` → h `(N, 128)`, z `(N, 64)`.
 */
export function smallCnnModel(options: PresetOptions = {}): SimclrModel {
  const seed = seeds(options.seed);
  const encoder = smallCnnEncoder({ inputShape: options.inputShape ?? [28, 28, 1], widths: [32, 64, 128], batchNorm: true, seed: seed.encoder });
  const head = projectionHead({ kind: 'mlp', inputDim: 128, hiddenDim: 128, outputDim: 64, layers: 2, seed: seed.head, name: 'small_cnn_head' });
  return new SimclrModel({ encoder, head });
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
  const seed = seeds(options.seed);
  const width = options.width ?? 64;
  const encoder = resnet18Encoder({ inputShape: options.inputShape ?? [32, 32, 3], width, seed: seed.encoder });
  const representationDim = 8 * width;
  const head = projectionHead({ kind: 'mlp', inputDim: representationDim, hiddenDim: representationDim, outputDim: options.outputDim ?? 128, layers: 2, seed: seed.head, name: 'resnet18_head' });
  return new SimclrModel({ encoder, head });
}
