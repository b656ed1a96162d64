/**
 * Noise images with random labels, after torchvision's `datasets.FakeData`, the data of the seed article
 * (512 images of 3x32x32, 10 classes). Nothing in them is learnable: a pipeline smoke test, not a benchmark.
 *
 * torchvision draws each image as `torch.randn(C, H, W)` (standard normal per pixel) and a label
 * `randint(0, numClasses)`, then turns the float tensor into a PIL image with `ToPILImage`, which does
 * `pic.mul(255).byte()`. PyTorch defines float -> uint8 as truncation toward zero to an integer, then
 * modulo 256 (c10/util/TypeCast.h, since pytorch/pytorch#7644), so out-of-range values WRAP:
 * -0.5 -> -127 -> 129, 1.5 -> 382 -> 126 (see pytorch/vision#1175). We reproduce that by default, so the
 * pixels the model sees have the same distribution as the article's; `outOfRange: 'clamp'` gives the
 * saturating alternative (about half the pixels become 0 and 16% become 255).
 * Our random stream is our seeded Rng, not torch's, so the values differ from torchvision's; the
 * distributions match.
 */
import { Rng } from '../rng';
import { ImageDataset, validateDataset } from './dataset';

export interface FakeDataOptions {
  /** Number of images (default 512, as in the seed article). */
  size?: number;
  /** Side in pixels (default 32, as in the seed article). */
  imageSize?: number;
  /** Channels (default 3, RGB as in the seed article). */
  channels?: number;
  /** Labels are uniform in [0, numClasses) (default 10, as in the seed article). */
  numClasses?: number;
  /** Seed (default 42, the seed article's). Image i depends only on (seed, i): a smaller size gives a prefix. */
  seed?: number;
  /** How x*255 outside 0..255 becomes a byte: 'wrap' (default, PyTorch's cast) or 'clamp' (saturate). */
  outOfRange?: 'wrap' | 'clamp';
}

/**
 * torchvision's float-to-byte conversion of one pixel: v = x * 255 computed in float32, truncated toward zero,
 * then wrapped modulo 256 ('wrap', PyTorch's cast) or clamped to 0..255 ('clamp').
 * Examples (wrap): 0.5 -> 127, 0.9999 -> 254, 1.5 -> 126, -0.5 -> 129, -1 -> 1.
 */
export function floatToByteLikeTorch(x: number, outOfRange: 'wrap' | 'clamp' = 'wrap'): number {
  const scaled = Math.trunc(Math.fround(Math.fround(x) * 255));
  if (outOfRange === 'clamp') return scaled < 0 ? 0 : scaled > 255 ? 255 : scaled;
  return ((scaled % 256) + 256) % 256;
}

/**
 * Generate FakeData as an ImageDataset `(size, imageSize, imageSize, channels)` uint8 with class names
 * 'class 0'..'class k-1'. Image i uses its own generator, the i-th fork of `new Rng(seed)`: it draws the
 * C*H*W normals in torch's (C, H, W) order, then the label; pixels are stored NHWC.
 */
export function fakeData(options: FakeDataOptions = {}): ImageDataset {
  const { size = 512, imageSize = 32, channels = 3, numClasses = 10, seed = 42, outOfRange = 'wrap' } = options;
  for (const [name, value, min] of [['size', size, 0], ['imageSize', imageSize, 1], ['channels', channels, 1], ['numClasses', numClasses, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new Error(`fakeData: ${name} must be an integer >= ${min}, got ${value}`);
  }
  if (outOfRange !== 'wrap' && outOfRange !== 'clamp') throw new Error(`fakeData: outOfRange must be 'wrap' or 'clamp', got ${JSON.stringify(outOfRange)}`);
  if (!Number.isInteger(seed)) throw new Error(`fakeData: seed must be an integer, got ${seed}`);

  const plane = imageSize * imageSize;
  const images = new Uint8Array(size * plane * channels);
  const labels = new Int32Array(size);
  const master = new Rng(seed);
  for (let i = 0; i < size; i++) {
    const rng = master.fork();
    const base = i * plane * channels;
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) images[base + p * channels + c] = floatToByteLikeTorch(rng.normal(), outOfRange);
    }
    labels[i] = rng.int(numClasses);
  }
  return validateDataset({
    name: `fake-data(seed ${seed})`,
    images,
    shape: [size, imageSize, imageSize, channels],
    labels,
    classNames: Array.from({ length: numClasses }, (_, k) => `class ${k}`),
  });
}
