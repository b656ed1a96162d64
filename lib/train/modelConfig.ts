/** A serialisable description of a SimCLR network, so checkpoints can rebuild the model they belong to. */
import { projectionHead, HeadKind } from '../models/heads';
import { resnet18Encoder } from '../models/resnet';
import { seedEncoder } from '../models/seedEncoder';
import { SimclrModel } from '../models/simclrModel';
import { smallCnnEncoder } from '../models/smallCnn';

/** Which encoder f and which head g; plain JSON. */
export interface ModelConfig {
  /** 'seed': the article's one conv; 'smallCnn': 32-64-128 + BN (CPU preset); 'resnet18': CIFAR ResNet-18. */
  encoder: 'seed' | 'smallCnn' | 'resnet18';
  /** Image shape `[H, W, C]` the encoder takes. */
  inputShape: [number, number, number];
  /** ResNet width w (h has 8w features); small-CNN stage widths are [w, 2w, 4w]. Ignored by 'seed'. */
  width?: number;
  /** Projection head: kind, hidden and output sizes, depth, batch norm (see `projectionHead`). */
  head: { kind: HeadKind; hiddenDim?: number; outputDim?: number; layers?: number; batchNorm?: boolean };
}

/**
 * Build the SimclrModel a `ModelConfig` describes, with weights drawn from `seed` (encoder `seed`, head
 * `seed + 1`), so the same config and seed give the same initial weights.
 */
export function buildModel(config: ModelConfig, seed: number): SimclrModel {
  let encoder;
  let representationDim: number;
  switch (config.encoder) {
    case 'seed':
      encoder = seedEncoder({ inputShape: config.inputShape, seed });
      representationDim = 32;
      break;
    case 'smallCnn': {
      const w = config.width ?? 32;
      encoder = smallCnnEncoder({ inputShape: config.inputShape, widths: [w, 2 * w, 4 * w], batchNorm: true, seed });
      representationDim = 4 * w;
      break;
    }
    case 'resnet18': {
      const w = config.width ?? 64;
      encoder = resnet18Encoder({ inputShape: config.inputShape, width: w, seed });
      representationDim = 8 * w;
      break;
    }
    default:
      throw new Error(`buildModel: unknown encoder '${(config as ModelConfig).encoder}'; expected seed, smallCnn or resnet18`);
  }
  const { kind, hiddenDim, outputDim, layers, batchNorm } = config.head;
  const head = projectionHead({
    kind,
    inputDim: representationDim,
    hiddenDim: hiddenDim ?? representationDim,
    outputDim: kind === 'none' ? representationDim : outputDim ?? 128,
    layers: layers ?? 2,
    batchNorm: batchNorm ?? false,
    seed: seed + 1,
  });
  return new SimclrModel({ encoder, head });
}
