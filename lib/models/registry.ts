/**
 * The one registry from a model description to a model: which encoders exist, the named architectures, and
 * `buildModel`. The model presets (`seedModel`, …), the trainer's presets (`TrainConfig.model`), checkpoints,
 * the CLI and the benchmarks all build through it.
 */
import * as tf from '@tensorflow/tfjs';
import { projectionHead, HeadKind } from './heads';
import { resnet18Encoder } from './resnet';
import { seedEncoder } from './seedEncoder';
import { SimclrModel } from './simclrModel';
import { smallCnnEncoder } from './smallCnn';
import { withDefaults } from '../options';
import { checkSeed } from './validation';

/** The encoders `buildModel` knows. */
export type EncoderName = 'seed' | 'smallCnn' | 'resnet18';

/** Which encoder f and which head g; plain JSON, stored in checkpoints so they can rebuild their model. */
export interface ModelConfig {
  /** 'seed': the article's one conv; 'smallCnn': 32-64-128 + BN (CPU preset); 'resnet18': CIFAR ResNet-18. */
  encoder: EncoderName;
  /** Image shape `[H, W, C]` the encoder takes. */
  inputShape: [number, number, number];
  /** ResNet width w (h has 8w features); small-CNN stage widths are [w, 2w, 4w]. Ignored by 'seed'. */
  width?: number;
  /**
   * Projection head (see `projectionHead`): kind, hidden size (default: the size of h), output size (default
   * 128; the size of h for 'none'), Dense layers (default 2), batch norm (default false).
   */
  head: { kind: HeadKind; hiddenDim?: number; outputDim?: number; layers?: number; batchNorm?: boolean };
}

interface EncoderEntry {
  /** Width used when the config gives none (unused by 'seed'). */
  defaultWidth: number;
  /** Layer-name prefix of the head built with this encoder (the PyTorch goldens name weights by it). */
  headName: string;
  build: (inputShape: [number, number, number], width: number, seed: number) => tf.LayersModel;
}

const ENCODERS: Record<EncoderName, EncoderEntry> = {
  seed: { defaultWidth: 32, headName: 'seed_head', build: (inputShape, _width, seed) => seedEncoder({ inputShape, seed }) },
  smallCnn: {
    defaultWidth: 32,
    headName: 'small_cnn_head',
    build: (inputShape, w, seed) => smallCnnEncoder({ inputShape, widths: [w, 2 * w, 4 * w], batchNorm: true, seed }),
  },
  resnet18: { defaultWidth: 64, headName: 'resnet18_head', build: (inputShape, width, seed) => resnet18Encoder({ inputShape, width, seed }) },
};

const ARCHITECTURES = {
  /** The seed article's: one 3×3 conv to 32 + ReLU + global pool, mlp head 32 → 128 → 128 without BN. */
  seed: { encoder: 'seed', inputShape: [32, 32, 3], head: { kind: 'mlp', hiddenDim: 128, outputDim: 128, layers: 2 } },
  /** ENVIRONMENT.md's Fashion-MNIST reference: small CNN 32-64-128 + BN, mlp head 128 → 128 → 64 without BN. */
  smallCnn: { encoder: 'smallCnn', inputShape: [28, 28, 1], width: 32, head: { kind: 'mlp', hiddenDim: 128, outputDim: 64, layers: 2 } },
  /** CIFAR ResNet-18 (Chen et al. 2020, appendix B.9), width 64; mlp head 8w → 8w → 128 without BN. */
  resnet18: { encoder: 'resnet18', inputShape: [32, 32, 3], width: 64, head: { kind: 'mlp', outputDim: 128, layers: 2 } },
} satisfies Record<string, ModelConfig>;

/** The names of the registry's architectures. */
export type ArchitectureName = keyof typeof ARCHITECTURES;

/**
 * A fresh copy of a named architecture's ModelConfig with some fields replaced (`head` is merged; an
 * undefined field keeps the architecture's value).
 */
export function architecture(name: ArchitectureName, overrides: Partial<Omit<ModelConfig, 'head'>> & { head?: Partial<ModelConfig['head']> } = {}): ModelConfig {
  const base = ARCHITECTURES[name] as ModelConfig | undefined;
  if (!base) throw new Error(`architecture: unknown name '${name}'; expected one of ${Object.keys(ARCHITECTURES).join(', ')}`);
  const { head, ...rest } = overrides;
  return structuredClone({ ...withDefaults(base, rest), head: withDefaults(base.head, head) });
}

/**
 * Build the SimclrModel a `ModelConfig` describes, with weights drawn from `seed` (encoder `seed`, head
 * `seed + 1`), so the same config and seed give the same initial weights. The head's input size is the
 * encoder's output size (h), read from the built encoder.
 */
export function buildModel(config: ModelConfig, seed: number): SimclrModel {
  const entry = ENCODERS[config.encoder];
  if (!entry) throw new Error(`buildModel: unknown encoder '${config.encoder}'; expected ${Object.keys(ENCODERS).join(', ')}`);
  checkSeed('buildModel: seed', seed);
  const encoder = entry.build(config.inputShape, config.width ?? entry.defaultWidth, seed);
  const representationDim = encoder.outputs[0].shape[1] as number; // h: (N, F)
  const { kind, hiddenDim, outputDim, layers, batchNorm } = config.head;
  const head = projectionHead({
    kind,
    inputDim: representationDim,
    hiddenDim: hiddenDim ?? representationDim,
    outputDim: kind === 'none' ? representationDim : outputDim ?? 128,
    layers: layers ?? 2,
    batchNorm: batchNorm ?? false,
    seed: seed + 1,
    name: entry.headName,
  });
  return new SimclrModel({ encoder, head });
}
