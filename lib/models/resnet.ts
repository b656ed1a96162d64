/** CIFAR-style ResNet-18 (He et al. 2016) as the SimCLR encoder for 32×32 images. */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv2d, globalAveragePool, relu } from './blocks';
import { initializeWeights } from './init';
import { checkPositiveInteger, withDefaults } from '../options';
import { checkImageShape, checkSeed } from './validation';

/** Options for `resnet18Encoder`. */
export interface Resnet18EncoderOptions {
  /** Image shape `[H, W, C]`. Default [32, 32, 3]: CIFAR-10. */
  inputShape?: [number, number, number];
  /** Channels w of the first stage; the stages have w, 2w, 4w, 8w and h has 8w features. Default 64: the standard ResNet-18. */
  width?: number;
  /** Weight-initialisation seed (see `initializeWeights`). Default 42. */
  seed?: number;
  /** Prefix of the layer names. Default 'resnet18'. */
  name?: string;
}

const DEFAULTS: Required<Resnet18EncoderOptions> = { inputShape: [32, 32, 3], width: 64, seed: 42, name: 'resnet18' };

/**
 * A BasicBlock (He et al. 2016, arXiv 1512.03385, Fig. 2): 3×3 conv (stride s) → BN → ReLU → 3×3 conv →
 * BN, plus the shortcut, then ReLU. The shortcut is the identity when the shape is kept, else a
 * projection 1×1 conv (stride s, no bias) → BN ("option B").
 * Shapes: `(N, H, W, inChannels)` → `(N, ⌈H/s⌉, ⌈W/s⌉, outChannels)`.
 */
function basicBlock(x: tf.SymbolicTensor, inChannels: number, outChannels: number, stride: number, name: string): tf.SymbolicTensor {
  let y = conv2d(x, { filters: outChannels, kernelSize: 3, stride, useBias: false, name: `${name}_conv1` });
  y = relu(batchNorm(y, `${name}_bn1`), `${name}_relu1`);
  y = conv2d(y, { filters: outChannels, kernelSize: 3, useBias: false, name: `${name}_conv2` });
  y = batchNorm(y, `${name}_bn2`);
  let shortcut = x;
  if (stride !== 1 || inChannels !== outChannels) {
    shortcut = conv2d(x, { filters: outChannels, kernelSize: 1, stride, useBias: false, name: `${name}_shortcut_conv` });
    shortcut = batchNorm(shortcut, `${name}_shortcut_bn`);
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return relu(sum, `${name}_relu2`);
}

/**
 * ResNet-18 (He et al. 2016, arXiv 1512.03385) in the CIFAR variant used by SimCLR (Chen et al. 2020,
 * arXiv 2002.05709, appendix B.9): the 7×7 stride-2 stem and its max-pool are replaced by a 3×3 stride-1
 * conv; then BN, ReLU; four stages of two BasicBlocks with widths w, 2w, 4w, 8w and strides 1, 2, 2, 2;
 * global average pool. Convs have no bias (BN follows each); BN uses PyTorch's momentum and ε.
 * Shapes: `(N, 32, 32, 3)` → 32×32×w → 16×16×2w → 8×8×4w → 4×4×8w → h `(N, 8w)`.
 * Parameters at w = 64: 11,168,832 trainable (torchvision's resnet18 without fc has 11,176,512; the
 * 3×3×3×64 stem instead of 7×7×3×64 saves 7,680) plus 9,600 BN moving statistics.
 */
export function resnet18Encoder(options: Resnet18EncoderOptions = {}): tf.LayersModel {
  const merged = withDefaults(DEFAULTS, options);
  const inputShape = checkImageShape('resnet18Encoder: inputShape', merged.inputShape);
  const width = checkPositiveInteger('resnet18Encoder: width', merged.width);
  const seed = checkSeed('resnet18Encoder: seed', merged.seed);
  const { name } = merged;

  const input = tf.input({ shape: inputShape, name: `${name}_input` }); // (N, H, W, C)
  let x = conv2d(input, { filters: width, kernelSize: 3, useBias: false, name: `${name}_stem_conv` }); // (N, H, W, w)
  x = relu(batchNorm(x, `${name}_stem_bn`), `${name}_stem_relu`);
  let channels = width;
  const strides = [1, 2, 2, 2];
  strides.forEach((stride, stage) => {
    const stageWidth = width * 2 ** stage; // w, 2w, 4w, 8w
    for (let block = 0; block < 2; block++) {
      x = basicBlock(x, channels, stageWidth, block === 0 ? stride : 1, `${name}_stage${stage + 1}_block${block + 1}`);
      channels = stageWidth;
    }
  });
  const h = globalAveragePool(x, `${name}_pool`); // (N, 8w)
  const model = tf.model({ inputs: input, outputs: h, name });
  initializeWeights(model, { seed });
  return model;
}
