/**
 * Random resized crop with torchvision's `RandomResizedCrop` semantics: the box sampler is a pure
 * function of the seeded stream (`sampleCropBox`), the pixels are cut and resized for the whole batch
 * by one `tf.image.cropAndResize` (bilinear).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkInterval, perSampleFlags } from './batch';

/** A crop in pixels of the source image; `fallback` tells that 10 draws failed and the central crop was used. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
  fallback: boolean;
}

/** Options of the random resized crop. */
export interface RandomResizedCropOptions {
  /** Output `[height, width]` (or one number for a square). Absent: the input's own size. */
  size?: number | readonly [number, number];
  /** Range of the crop's area as a fraction of the image's area. */
  scale: readonly [number, number];
  /** Range of the crop's aspect ratio width / height (sampled log-uniformly). */
  ratio: readonly [number, number];
}

/** torchvision's defaults (also SimCLR's, Chen et al. 2020, appendix A). */
export const defaultRandomResizedCrop: RandomResizedCropOptions = {
  scale: [0.08, 1], // torchvision default; SimCLR's "random crop" uses it
  ratio: [3 / 4, 4 / 3], // torchvision default: up to a third wider or taller than square
};

/** Python's round(): halves go to the even neighbour (torchvision computes box sizes with it). */
function roundHalfToEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Check scale in (0, 1] and ratio > 0 (both intervals [low, high]); throws naming the caller. */
export function checkCropOptions(options: RandomResizedCropOptions, caller: string): void {
  checkInterval(options.scale, 'crop scale', caller, 0, 1);
  if (!(options.scale[1] > 0)) throw new Error(`${caller}: crop scale must have high > 0, got ${JSON.stringify(options.scale)}`);
  checkInterval(options.ratio, 'crop ratio', caller, Number.MIN_VALUE, Infinity);
}

/**
 * Sample one crop box, exactly torchvision's `RandomResizedCrop.get_params`: up to 10 attempts of
 * area fraction s ~ U(scale) and aspect ratio r = exp(U(log ratio)); w = round(sqrt(s*H*W*r)),
 * h = round(sqrt(s*H*W/r)); accept if it fits, with its top-left corner uniform over the valid positions.
 * Otherwise the central crop of the whole image with its aspect ratio clamped to `ratio`.
 * Pure: depends only on the arguments and the stream `rng`. Units: pixels.
 */
export function sampleCropBox(
  imageHeight: number,
  imageWidth: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  rng: Rng,
): CropBox {
  const area = imageHeight * imageWidth;
  const logLow = Math.log(ratio[0]);
  const logHigh = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspectRatio = Math.exp(rng.uniform(logLow, logHigh));
    const width = roundHalfToEven(Math.sqrt(targetArea * aspectRatio));
    const height = roundHalfToEven(Math.sqrt(targetArea / aspectRatio));
    if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight) {
      const top = rng.int(imageHeight - height + 1);
      const left = rng.int(imageWidth - width + 1);
      return { top, left, height, width, fallback: false };
    }
  }
  const inputRatio = imageWidth / imageHeight;
  let width = imageWidth;
  let height = imageHeight;
  if (inputRatio < ratio[0]) {
    height = roundHalfToEven(width / ratio[0]);
  } else if (inputRatio > ratio[1]) {
    width = roundHalfToEven(height * ratio[1]);
  }
  const top = Math.floor((imageHeight - height) / 2);
  const left = Math.floor((imageWidth - width) / 2);
  return { top, left, height, width, fallback: true };
}

/**
 * One `sampleCropBox` per image, in batch order. The options are checked on every call (once per batch, not per
 * image; plain JS, no device work), so `twoViews` checks them for each of its two views.
 */
export function sampleCropBoxes(
  count: number,
  imageHeight: number,
  imageWidth: number,
  options: RandomResizedCropOptions,
  rng: Rng,
): CropBox[] {
  checkCropOptions(options, 'sampleCropBoxes');
  const boxes: CropBox[] = [];
  for (let i = 0; i < count; i++) boxes.push(sampleCropBox(imageHeight, imageWidth, options.scale, options.ratio, rng));
  return boxes;
}

/**
 * Boxes as fractions of the image, `[y1, x1, y2, x2]` per box = `[top/H, left/W, (top+h)/H, (left+w)/W]`
 * (edges, not pixel centres): all in [0, 1] for a box inside the image. For plotting and checks.
 * @returns Float32Array of length 4 * boxes.length.
 */
export function normalizedCropBoxes(boxes: readonly CropBox[], imageHeight: number, imageWidth: number): Float32Array {
  const out = new Float32Array(boxes.length * 4);
  boxes.forEach((b, i) => {
    out.set([b.top / imageHeight, b.left / imageWidth, (b.top + b.height) / imageHeight, (b.left + b.width) / imageWidth], 4 * i);
  });
  return out;
}

/** `[height, width]` from a size option; checks positive integers. */
export function outputSize(size: number | readonly [number, number], caller: string): [number, number] {
  const pair: number[] = typeof size === 'number' ? [size, size] : Array.from(size);
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${caller}: size must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [pair[0], pair[1]];
}

/**
 * Sampling coordinates along one axis, in the edge-padded image, normalised for cropAndResize:
 * output pixel i (of n) samples the source at start + (i + 0.5) * length / n - 0.5 (pixel centres,
 * torchvision's bilinear with align_corners=False), shifted by the 1-pixel pad and divided by (size + 1).
 */
function axisEnds(start: number, length: number, outputLength: number, imageLength: number): [number, number] {
  const step = length / outputLength;
  const first = start + 0.5 * step - 0.5 + 1;
  const last = start + (outputLength - 0.5) * step - 0.5 + 1;
  return [first / (imageLength + 1), last / (imageLength + 1)];
}

/**
 * Cut each image's box and resize it to `size` with bilinear interpolation, sampling the source at
 * torchvision's pixel-centre positions (align_corners=False, no antialiasing):
 * out[i, j] = image(top + (i + 0.5) h / outH - 0.5, left + (j + 0.5) w / outW - 0.5).
 * Difference from torchvision, which cuts first and then resizes: when a crop is upsampled, the outer
 * half-pixel ring of samples blends with the image's pixels just outside the box instead of repeating
 * the box's edge (identical results when the crop is not upsampled or is the whole image). At the image
 * border samples clamp to the edge, via a 1-pixel edge-replicating pad (`mirrorPad` symmetric), so
 * `cropAndResize` never extrapolates. `flips[n]` mirrors image n left-right (the box's x1 > x2): this is
 * how the pipeline folds the horizontal flip into the same op.
 * Precision: boxes are float32 normalised by (H + 1), so a whole-image box at the same size is the
 * identity to ~2e-6, not bit-exactly.
 * @param images `(N, H, W, C)` float32 in [0, 1]; boxes: N pixel boxes; size `[h, w]`.
 * @returns `(N, h, w, C)` float32 in [0, 1].
 */
export function resizedCrop(
  images: tf.Tensor4D,
  boxes: readonly CropBox[],
  size: number | readonly [number, number],
  flips?: readonly boolean[],
): tf.Tensor4D {
  const caller = 'resizedCrop';
  const { count, height, width } = checkImages(images, caller);
  const [outHeight, outWidth] = outputSize(size, caller);
  if (boxes.length !== count) throw new Error(`${caller}: expected ${count} boxes (one per image), got ${boxes.length}`);
  const flipped = flips === undefined ? new Array<boolean>(count).fill(false) : perSampleFlags(flips, count, 'flips', caller);
  const coordinates = new Float32Array(4 * count);
  boxes.forEach((b, i) => {
    const inside = b.top >= 0 && b.left >= 0 && b.height >= 1 && b.width >= 1 && b.top + b.height <= height && b.left + b.width <= width;
    if (!inside) throw new Error(`${caller}: box ${i} ${JSON.stringify(b)} is not inside the ${height}x${width} image`);
    const [y1, y2] = axisEnds(b.top, b.height, outHeight, height);
    const [x1, x2] = axisEnds(b.left, b.width, outWidth, width);
    coordinates.set(flipped[i] ? [y1, x2, y2, x1] : [y1, x1, y2, x2], 4 * i);
  });
  return tf.tidy(() => {
    const padded = tf.mirrorPad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], 'symmetric'); // (N, H+2, W+2, C)
    const boxTensor = tf.tensor2d(coordinates, [count, 4]);
    const boxIndex = tf.range(0, count, 1, 'int32') as tf.Tensor1D;
    return tf.image.cropAndResize(padded, boxTensor, boxIndex, [outHeight, outWidth], 'bilinear');
  });
}

/**
 * torchvision's `RandomResizedCrop(size, scale, ratio)` applied independently to every image:
 * boxes from `sampleCropBoxes`, pixels by `resizedCrop`.
 * @param images `(N, H, W, C)` float32 in [0, 1]. @returns `(N, h, w, C)`, size defaulting to `(H, W)`.
 */
export function randomResizedCrop(images: tf.Tensor4D, options: Partial<RandomResizedCropOptions>, rng: Rng): tf.Tensor4D {
  const { count, height, width } = checkImages(images, 'randomResizedCrop');
  const merged: RandomResizedCropOptions = { ...defaultRandomResizedCrop, ...options };
  const boxes = sampleCropBoxes(count, height, width, merged, rng);
  return resizedCrop(images, boxes, merged.size ?? [height, width]);
}
