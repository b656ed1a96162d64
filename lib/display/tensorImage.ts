/** Image-shaped tensors — (H, W, C) or a batch (N, H, W, C), C = 1 or 3 — as one PNG (a grid for a batch). */
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { RichDisplayOptions, resolveRichDisplayOptions } from './tensorOptions';
import { composeImageGrid } from './images';

/** A PNG drawn from an image tensor, with how it was drawn. */
export interface TensorPng {
  /** The PNG file's bytes. */
  png: Buffer;
  /** PNG size in pixels (after enlargement). */
  width: number;
  height: number;
  /** Images drawn / images in the tensor (a batch beyond maxImages is cut). */
  imagesShown: number;
  imagesTotal: number;
  /** Whole-number enlargement applied to every pixel (nearest neighbour). */
  scale: number;
  /** How values became 0–255 bytes: 'unit' ×255 for [0, 1], 'byte' as is for integers in [0, 255], else 'rescaled' from [min, max]. */
  mapping: 'unit' | 'byte' | 'rescaled';
  /** The smallest and largest value drawn. */
  min: number;
  max: number;
}

/**
 * Whether a tensor is drawn as an image: float32 or int32, rank 3 (H, W, C) or rank 4 (N, H, W, C) with N ≥ 1,
 * C = 1 (grey) or 3 (RGB), and H, W ≥ minImageSide. NHWC, the layout of the whole workbench.
 */
export function isImageShaped(tensor: tf.Tensor, options?: RichDisplayOptions): boolean {
  const { minImageSide } = resolveRichDisplayOptions(options);
  if (tensor.isDisposed || (tensor.dtype !== 'float32' && tensor.dtype !== 'int32')) return false;
  const shape = tensor.rank === 3 ? [1, ...tensor.shape] : tensor.shape;
  if (shape.length !== 4) return false;
  const [count, height, width, channels] = shape;
  return count >= 1 && height >= minImageSide && width >= minImageSide && (channels === 1 || channels === 3);
}

/**
 * Draws an image-shaped tensor as a PNG: one image, or the first `maxImages` of a batch in a near-square grid
 * (columns = ⌈√n⌉, laid out by composeImageGrid) separated by `imageGap` mid-grey pixels, enlarged by the whole factor that brings the longer
 * image side to `targetImageSide` (at most `maxImageScale`). Values in [0, 1] (the workbench's convention) are
 * scaled by 255 and rounded (halves to even, as tf.round); int32 values in [0, 255] are used as they are; anything else (e.g. normalised images) is
 * rescaled linearly from [min, max] of the drawn images to [0, 255]. Throws when the tensor is not image-shaped.
 */
export async function tensorImagePng(tensor: tf.Tensor, options?: RichDisplayOptions): Promise<TensorPng> {
  const settings = resolveRichDisplayOptions(options);
  if (!isImageShaped(tensor, options)) {
    throw new Error(
      `tensorImagePng: expected a float32/int32 tensor (H, W, 1|3) or (N, H, W, 1|3) with H, W >= ${settings.minImageSide}, ` +
        `got ${tensor.dtype} [${tensor.shape.join(', ')}]${tensor.isDisposed ? ' (disposed)' : ''}`,
    );
  }
  const [total, height, width, channels] = (tensor.rank === 3 ? [1, ...tensor.shape] : tensor.shape) as number[];
  const shown = Math.min(total, settings.maxImages);
  let min = 0;
  let max = 0;
  let mapping: TensorPng['mapping'] = 'unit';
  const scaled = tf.tidy(() => {
    const batch = tensor.reshape([total, height, width, channels]).slice([0, 0, 0, 0], [shown, height, width, channels]);
    const values = tf.cast(batch, 'float32'); // (n, H, W, C)
    min = tf.min(values).dataSync()[0];
    max = tf.max(values).dataSync()[0];
    if (min >= 0 && max <= 1 && tensor.dtype === 'float32') {
      mapping = 'unit';
      return values.mul(255).round(); // tf.round: halves to even
    }
    if (min >= 0 && max <= 255 && tensor.dtype === 'int32') {
      mapping = 'byte';
      return values;
    }
    mapping = 'rescaled';
    return max > min ? values.sub(min).mul(255 / (max - min)).round() : tf.zerosLike(values);
  });
  const bytes = Uint8Array.from(scaled.dataSync()); // (n, H, W, C) row-major, 0–255
  scaled.dispose();
  const scale = Math.max(1, Math.min(settings.maxImageScale, Math.floor(settings.targetImageSide / Math.max(height, width))));
  const { image } = composeImageGrid(bytes, [shown, height, width, channels], {
    cols: Math.ceil(Math.sqrt(shown)), // a near-square grid
    scale,
    padding: settings.imageGap,
    frame: false,
    background: 128, // mid grey separates black and white images alike
  });
  const png = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb') // a grey PNG stays one channel
    .png()
    .toBuffer();
  return { png, width: image.width, height: image.height, imagesShown: shown, imagesTotal: total, scale, mapping, min, max };
}
